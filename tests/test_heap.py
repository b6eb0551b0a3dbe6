import subprocess
import sys

import pytest

import dealtrace.nlp.heap

# Run apart, with the module loaded alone: the test process (and importing dealtrace, which loads
# spaCy) leave free chunks in the heap that the blocks below could land next to.
_FREE_UNDER_A_LIVE_BLOCK = """
import ctypes, importlib.util, os, sys
spec = importlib.util.spec_from_file_location("heap", sys.argv[1])
heap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(heap)
MMAP_THRESHOLD = heap.MMAP_THRESHOLD
assert heap.keep_large_blocks_mapped()
def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(8 * MMAP_THRESHOLD))  # glibc alone would now take blocks up to 8 MB from the heap
blocks = [libc.malloc(2 * MMAP_THRESHOLD) for _ in range(40)]
for block in blocks:
    ctypes.memset(block, 1, 2 * MMAP_THRESHOLD)
pin = libc.malloc(100 * 1024)  # from the heap's top: it could not shrink past it
before = resident_mb()
for block in blocks:
    libc.free(block)
print(round(before - resident_mb()))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_freed_large_blocks_leave_memory_even_after_a_larger_one_was_freed():
    out = subprocess.run([sys.executable, "-c", _FREE_UNDER_A_LIVE_BLOCK, dealtrace.nlp.heap.__file__], capture_output=True, text=True, check=True)
    assert int(out.stdout) > 60  # of the 80 MB freed
