import FuzzDriver
import FuzzSupport

/// libFuzzer entry: reads the input as xml.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ReaderFuzzing.read(UnsafeRawBufferPointer(start: data, count: size), format: .xml)
    return 0
}
