// OpenBLAS's CBLAS interface plus its runtime controls (core name, threads).
// Debian installs the pthread flavour under a multiarch subdirectory.
#if __has_include(<openblas-pthread/cblas.h>)
#include <openblas-pthread/cblas.h>
#elif __has_include(<openblas/cblas.h>)
#include <openblas/cblas.h>
#else
#include <cblas.h>
#endif
