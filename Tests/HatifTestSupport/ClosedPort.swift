import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A port on 127.0.0.1 that refuses connections for as long as this is held: a socket bound to it that does
/// not listen. Unlike the port of a server just stopped, no other test's server can take it meanwhile.
public final class ClosedPort: Sendable {
    /// The port, on 127.0.0.1.
    public let port: Int
    /// The bound socket, until ``listen()`` hands it over.
    private let socket: Mutex<Int32?>

    public init() throws {
        let (socket, port) = try Self.bindLoopback(listening: false)
        self.socket = Mutex(socket)
        self.port = port
    }

    /// Makes the port accept connections, with no moment when it is free: the bound socket starts listening
    /// and is handed to the caller, who closes it (a server over it, `ServerBootstrap.withBoundSocket`).
    /// Closing it and binding a server anew lost the port once to another test's connection, whose
    /// ephemeral port it became in between. Nil when it was handed over before or cannot listen.
    public func listen() -> Int32? {
        socket.withLock { held in
            guard let socket = held, Glibc.listen(socket, 64) == 0 else { return nil }
            held = nil
            return socket
        }
    }

    /// A TCP socket bound to a free port on 127.0.0.1, listening or not, and its port.
    static func bindLoopback(listening: Bool) throws -> (socket: Int32, port: Int) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && (!listening || Glibc.listen(fd, 64) == 0) && getsockname(fd, generic, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw CLIProcessError.outputMissing("could not bind a socket on 127.0.0.1")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    deinit { socket.withLock { held in if let held { close(held) } } }
}
