// zlib for .gz inputs, zip entries (XLSX workbooks, .zip exports) and the XLSX sample writer.
#include <zlib.h>
