import FuzzDriver
import FuzzSupport

/// libFuzzer entry: the input up to its first NUL byte is a sheet's XML, the rest the shared strings'
/// XML, packed into a workbook and read as XLSX.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ReaderFuzzing.readWorkbook(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
