import BulwarkHTTP
import Testing

@Suite("ByteCountText")
struct ByteCountTextTests {
    @Test(arguments: [
        (0, "0 bytes"),
        (1, "1 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1536 bytes"),
        (512 << 10, "512 KB"),
        (1 << 20, "1 MB"),
        (50 << 20, "50 MB"),
        ((1 << 20) + 1024, "1025 KB"),
        (1 << 30, "1 GB"),
        (3 << 30, "3 GB"),
        ((1 << 30) + (1 << 20), "1025 MB"),
    ])
    func formats(bytes: Int, expected: String) {
        #expect(ByteCountText.format(bytes) == expected)
    }
}
