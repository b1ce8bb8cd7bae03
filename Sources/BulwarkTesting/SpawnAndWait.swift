#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a program to completion with `posix_spawn` and `waitpid`, off the cooperative pool.
/// For programs that start daemons (pg_ctl): Foundation's `Process` can miss the exit of a child
/// whose own children outlive it, and hang the test.
public enum SpawnAndWait {
    public enum Failure: Error, CustomStringConvertible {
        case spawn(Int32)
        public var description: String {
            switch self {
            case .spawn(let code): "posix_spawn failed with errno \(code)"
            }
        }
    }

    /// The exit status (or 128 + signal).
    public static func run(_ executable: String, _ arguments: [String]) async throws -> Int32 {
        try await Blocking.run {
            var pid: pid_t = 0
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            let result = posix_spawn(&pid, executable, nil, nil, argv, environ)
            guard result == 0 else { throw Failure.spawn(result) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
    }
}
