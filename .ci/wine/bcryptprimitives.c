/*
 * A stand-in bcryptprimitives.dll for running monev's tests under Wine.
 * TESTS ONLY: never shipped, never put next to monev.exe in a release.
 *
 * Why: Rust's standard library (1.78+) gets randomness on Windows 10+ from
 * ProcessPrng in bcryptprimitives.dll, a DLL every Windows 10/11 has.
 * Debian's Wine 8.0 does not provide it, so every Rust program that seeds a
 * HashMap aborts at start under Wine. This DLL exports ProcessPrng and
 * forwards it to RtlGenRandom (advapi32 SystemFunction036), which Wine has.
 * .ci/windows builds it with mingw and copies it into the test Wine prefix.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
