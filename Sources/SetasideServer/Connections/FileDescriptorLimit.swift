#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files, which every connection and every database
/// connection counts against.
public enum FileDescriptorLimit {
    /// Raises the soft limit to the hard one, and returns the soft limit now in force.
    @discardableResult
    public static func raise() -> Int {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        var wanted = limit.rlim_max
        #if canImport(Darwin)
        wanted = min(wanted, rlim_t(OPEN_MAX))
        #endif
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        // RLIM_INFINITY is the largest value of rlim_t: anything past Int's range is no limit.
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// The most connections a server may hold with `descriptors` open files at most and
    /// `reserved` of them kept for everything else (the database pool, logs, files):
    /// `wanted` or fewer.
    public static func connections(wanted: Int, descriptors: Int, reserved: Int) -> Int {
        max(1, min(wanted, descriptors - reserved))
    }
}
