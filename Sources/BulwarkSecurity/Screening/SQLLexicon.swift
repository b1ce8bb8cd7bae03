/// SQL vocabulary: keyword classes and builtin function names. These are grammar of SQL
/// dialects (MySQL, PostgreSQL, MSSQL, Oracle, SQLite), not attack strings.
enum SQLLexicon {
    /// Category bits, combined in one table so each word costs a single hash lookup.
    static let logicBit: UInt16 = 1, comparisonBit: UInt16 = 2, statementBit: UInt16 = 4, clauseBit: UInt16 = 8
    static let nullishBit: UInt16 = 16, strongFunctionBit: UInt16 = 32, functionBit: UInt16 = 64, catalogBit: UInt16 = 128
    static let strongWordBit: UInt16 = 256

    /// hash -> (keyword id << 16) | category bits
    static let table: HashTable = {
        var entries: [(UInt64, UInt32)] = []
        for (words, bit) in [(logicWords, logicBit), (comparisonWords, comparisonBit), (statementWords, statementBit),
                             (clauseWords, clauseBit), (nullishWords, nullishBit), (strongFunctionWords, strongFunctionBit),
                             (functionWords, functionBit), (catalogWords, catalogBit), (strongWords, strongWordBit)] {
            for w in words { entries.append((Bytes.hash(w), UInt32(bit))) }
        }
        for kw in KW.allCases where kw != .none {
            entries.append((Bytes.hash(kw.word), UInt32(kw.rawValue) << 16))
        }
        return HashTable(entries)
    }()

    /// Category bits and keyword id of a word hash.
    @inline(__always) static func lookup(_ hash: UInt64) -> (UInt16, KW) {
        let v = table.lookup(hash)
        return (UInt16(truncatingIfNeeded: v), KW(rawValue: UInt8(truncatingIfNeeded: v >> 16)) ?? .none)
    }

    static let logicWords: [String] = ["and", "or", "xor", "not"]
    static let comparisonWords: [String] = ["like", "rlike", "ilike", "regexp", "between", "in", "is", "sounds", "glob", "similar", "div", "mod", "notnull"]
    static let statementWords: [String] = ["select", "insert", "update", "delete", "drop", "create", "alter", "exec", "execute",
                                     "declare", "shutdown", "waitfor", "truncate", "grant", "revoke", "merge", "call",
                                     "set", "use", "begin", "union", "load", "handler", "rename", "replace", "show", "desc", "describe"]
    static let clauseWords: [String] = ["from", "where", "order", "group", "by", "having", "limit", "offset", "into", "values",
                                  "procedure", "outfile", "dumpfile", "table", "database", "all", "distinct", "top",
                                  "case", "when", "then", "else", "end", "null", "true", "false", "delay", "as", "join",
                                  "collate", "escape", "asc", "binary", "exists", "any", "some", "with", "returning", "char", "declare", "exec"]
    /// Identifiers that only occur in SQL aimed at a database's internals.
    static let strongWords: [String] = ["information_schema", "xp_cmdshell", "sysobjects", "syscolumns", "sqlite_master",
                                        "msysobjects", "pg_shadow", "sp_executesql", "utl_http", "dbms_pipe", "pg_sleep",
                                        "sp_password", "xp_regread", "xp_dirtree", "sysdatabases", "pg_catalog", "sysibm"]
    static let nullishWords: [String] = ["null", "true", "false"]
    /// Builtins whose call is characteristic of probing: time delays, file access, metadata, error channels.
    static let strongFunctionWords: [String] = [
        "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "sp_executesql",
        "utl_inaddr", "utl_http", "get_host_address", "receive_message", "randomblob", "name_const", "group_concat",
        "concat_ws", "sqlite_version", "sqlite_compileoption_used", "pg_read_file", "pg_ls_dir", "lo_import",
        "dbms_pipe", "ctxsys", "drithsx", "dbms_xmlgen", "xmltype", "make_set", "elt", "current_database",
        "db_name", "has_dbaccess", "is_srvrolemember", "database", "version", "current_user", "system_user",
        "session_user", "waitfor", "json_keys", "gtid_subset",
    ]
    /// Ordinary builtins; a call alone is weak evidence.
    static let functionWords: [String] = [
        "concat", "char", "chr", "nchar", "ascii", "ord", "substring", "substr", "mid", "left", "right", "user",
        "schema", "if", "ifnull", "iif", "nullif", "coalesce", "count", "cast", "convert", "hex", "unhex", "md5",
        "sha1", "floor", "rand", "length", "len", "lower", "upper", "row", "exists", "object_name", "to_char",
        "char_length", "bin", "oct", "conv", "soundex", "instr", "locate", "position", "reverse", "trim", "space",
        "repeat", "lpad", "rpad", "isnull", "least", "greatest", "cos", "sin", "tan", "atan", "abs", "round", "ceil",
        "sum", "avg", "min", "max", "quote", "typeof", "unicode", "zeroblob", "ascii_str", "strcmp", "field",
        "find_in_set", "password", "encode", "decode", "compress", "uncompress", "aes_encrypt", "aes_decrypt",
        "des_encrypt", "load", "case", "row_count", "found_rows", "last_insert_id", "connection_id", "now",
        "sysdate", "curdate", "getdate", "host_name", "suser_name", "user_name", "is_member", "crc32", "sha2",
        "char_length", "bit_length", "octet_length", "str", "values", "in", "not", "binary", "select",
        "exp", "polygon", "multipoint", "linestring", "current_setting", "substring_index", "sqlite_compileoption_get",
    ]
    /// Identifiers that only appear when enumerating a database's catalog.
    static let catalogWords: [String] = [
        "information_schema", "sysobjects", "syscolumns", "sysusers", "sysdatabases", "sqlite_master",
        "msysobjects", "msysaccessobjects", "pg_shadow", "pg_user", "pg_database", "pg_tables", "all_tables",
        "user_tables", "dba_users", "all_users", "v$version", "mysql", "master", "sys", "xp_cmdshell",
        "sp_password", "sp_configure", "xp_regread", "xp_dirtree", "sysibm", "syscat", "dual", "pg_catalog",
        "sqlite_temp_master", "table_name", "column_name", "schema_name", "tables", "columns",
    ]
}

/// Keywords the SQL rules test by identity.
enum KW: UInt8, CaseIterable {
    case none = 0
    case select, union, all, distinct, from, order, group, by, drop, table, insert, into, delete, update, exec, execute
    case declare, waitfor, delay, time, shutdown, create, alter, truncate, database, procedure, where_, having, limit
    case set, user, view, function, not, outfile, dumpfile, null, like, call, begin, values, index, when, load, data, xml
    case case_, then, collate, in_

    var word: String {
        switch self {
        case .where_: return "where"
        case .case_: return "case"
        case .in_: return "in"
        default: return String(describing: self)
        }
    }
}
