import HatifAPI
import NIOPosix

/// A transport on the shared event loop group, for tests that build a client by hand.
public enum SharedTransport {
    public static let shared = HatifHTTPTransport(eventLoop: MultiThreadedEventLoopGroup.singleton.next())
}
