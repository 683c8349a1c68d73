#pragma once
/// Internal to src/io: HDF5's shuffle + deflate filter pipeline, run by the caller.
///
/// The dataset writer encodes each N×N float32 frame in the worker thread that computed
/// it and hands HDF5 the finished bytes (H5Dwrite_chunk), so compression, the slow part
/// of writing, runs in parallel instead of under the one HDF5 lock. The bytes are
/// exactly what the filters declared on /phi (shuffle, then deflate) expect, so every
/// HDF5 reader (h5py, HDF5's own H5Dread) decodes them as usual:
///   shuffle: byte b of element i goes to position b·count + i (4-byte elements);
///   deflate: one zlib stream (RFC 1950, Adler-32 checked) of the shuffled bytes.
#include <cstddef>
#include <vector>

namespace csd::io::codec {

/// Shuffled, then zlib-compressed at `level` (1–9).
std::vector<unsigned char> encode_float_chunk(const float* values, std::size_t count, int level);

}  // namespace csd::io::codec
