import BulwarkCore

/// The line a ``BufferedLogSink`` writes when it had to drop lines, in the same format as the rest
/// of the log, so whoever reads the log learns of the gap where it happened.
public struct DroppedLinesWarning: Sendable {
    /// Logger label of the warning, so it can be filtered like any component.
    public static let loggerLabel = "bulwark.log"
    /// `event` value of the warning line.
    public static let event = "log_lines_dropped"

    /// Renders one line (no newline) from the lines dropped since the last warning and in total.
    public let render: @Sendable (_ dropped: Int, _ total: Int) -> String

    public init(render: @escaping @Sendable (_ dropped: Int, _ total: Int) -> String) {
        self.render = render
    }

    /// Shaped like ``JSONLogHandler``'s records.
    public static let json = DroppedLinesWarning { dropped, total in
        var out = JSONBuffer(capacity: 256)
        out.append("{\"timestamp\":\"")
        RFC3339Timestamp.appendNow(to: &out)
        out.append("\",\"level\":\"warning\"")
        out.appendField(",\"logger\":", loggerLabel)
        out.append(",\"message\":\"log lines dropped: the log buffer was full\",\"metadata\":{\"dropped_lines\":")
        out.append(dropped)
        out.append(",\"dropped_lines_total\":")
        out.append(total)
        out.appendField(",\"event\":", event)
        out.append("}}")
        return out.text
    }

    /// Shaped like ``ConsoleLogHandler``'s lines.
    public static let text = DroppedLinesWarning { dropped, total in
        RFC3339Timestamp.now() + " warning " + loggerLabel + ": log lines dropped: the log buffer was full"
            + " dropped_lines=\(dropped) dropped_lines_total=\(total) event=" + event
    }
}
