#include <stddef.h>
#include <stdint.h>
// libFuzzer's entry points (libFuzzer is linked into each fuzz target with -sanitize=fuzzer).
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
