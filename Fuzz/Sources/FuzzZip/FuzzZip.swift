import FuzzDriver
import FuzzSupport

/// libFuzzer entry: the input is a zip archive; its directory is listed and every entry read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ReaderFuzzing.readArchive(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
