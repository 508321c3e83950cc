// The scans are inline functions in the header; a C target needs one source file.
#include "CByteScan.h"
