/// Shell command vocabulary: common Unix/Windows binaries and builtins. A command word after a
/// command separator is the grammar of a shell command line, so this is a grammar table.
enum ShellLexicon {
    /// Command names that are not ordinary English words.
    static let commands = WordSet([
        "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "nslookup", "ifconfig", "ipconfig", "netstat",
        "bash", "sh", "zsh", "ksh", "csh", "tcsh", "dash", "powershell", "pwsh", "cmd", "certutil", "bitsadmin",
        "wmic", "rundll32", "regsvr32", "mshta", "cscript", "wscript", "nohup", "sudo", "chmod", "chown", "crontab",
        "tftp", "socat", "openssl", "busybox", "systeminfo", "tasklist", "taskkill", "mkfifo", "xterm", "perl",
        "python", "python2", "python3", "php", "ruby", "ls", "ps", "id", "rm", "uptime", "hostname", "printenv",
        "getent", "xxd", "base64", "nmap", "traceroute", "tracert", "useradd", "usermod", "telnet", "ssh", "scp",
        "dig", "awk", "gawk", "sed", "grep", "egrep", "xargs", "env", "gcc", "lsb_release", "pwd", "ifup", "arp",
        "route", "sysctl", "dmesg", "lsof", "nproc", "cmd.exe", "powershell.exe", "net1", "reg", "schtasks", "sc",
        "icacls", "cacls", "attrib", "findstr", "msiexec", "vssadmin", "bcdedit", "wevtutil", "ftp", "node",
        "lua", "java", "jrunscript", "passwd", "useradd", "killall", "pkill", "chattr", "tar", "gzip", "unzip",
        "zip", "dd", "od", "hexdump", "strings", "uniq", "wc", "nl", "tee", "mkdir", "rmdir", "ln", "cp", "mv",
        "cd", "ll", "vi", "vim", "nano", "apt", "yum", "apk", "pip", "npm", "git", "svn", "docker", "kubectl",
        "sendmail", "expr", "getfacl", "netsh", "invoke-webrequest", "invoke-expression", "iex", "iwr", "iwmi",
        "invoke-wmimethod", "start-process", "new-object", "lastlog", "lastlogin", "ansible", "ansible-playbook",
        "ansible-vault", "ansible-config", "ansible-console", "ansible-doc", "ansible-inventory", "chef-run",
        "chef-vault", "chef-client", "knife", "ansible-galaxy", "ansible-pull", "ansible-test", "chef-shell", "strace", "ltrace", "cpulimit", "groups", "ver", "systemctl", "service",
    ])
    /// Command names that are also common English words; need an argument-shaped follower.
    static let wordlike = WordSet([
        "cat", "echo", "ping", "sleep", "dir", "type", "net", "find", "head", "tail", "more", "less", "set", "kill",
        "who", "last", "time", "copy", "del", "start", "call", "file", "mail", "sort", "read", "test", "print",
        "touch", "w", "at", "which", "whois", "host", "export", "stat", "cut", "tr", "rev", "true", "false",
        "timeout", "wait", "shutdown", "reboot", "halt", "whatis", "locate", "date", "users", "finger", "mount",
        "history", "alias", "erase", "eval", "exec", "move", "ren", "rename", "runas", "tree", "ipconfig", "sysinfo", "sh",
    ])
    /// Network clients whose operand is a host name.
    static let network = WordSet(["wget", "curl", "nslookup", "ping", "nc", "ncat", "telnet", "dig", "ssh", "ftp", "tftp",
                                  "traceroute", "tracert", "host", "whois", "socat", "invoke-webrequest", "iwr"])
    /// Commands that run another command given as their operand.
    static let wrappers = WordSet(["which", "nohup", "strace", "sudo", "time", "timeout", "xargs", "env", "exec", "nice",
                                   "cpulimit", "flock", "command", "builtin", "watch", "su", "doas", "ltrace", "whereis"])
    /// Windows `net` subcommands.
    static let netVerbs = WordSet(["user", "users", "view", "localgroup", "share", "use", "start", "stop", "group",
                                   "accounts", "config", "session", "time"])
    /// Calls that hand a string to a shell from application code.
    static let execCalls = WordSet(["system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec",
                                    "spawn", "execsync", "spawnsync", "execfile", "check_output", "getoutput",
                                    "getstatusoutput", "run", "call", "popen2", "popen3", "backticks"])
}
