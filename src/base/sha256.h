// SHA-256 of bytes in memory, for the per-record digests (TIDs, fingerprints).
//
// OpenSSL 3 looks the algorithm up under a lock on every EVP_sha256() one-shot call, and allocates a context
// each time: ~3 % of a 1 M-FDID validate on two cores. Here the algorithm is fetched once per process and each
// thread keeps one context.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace caisson {

using Sha256Digest = std::array<uint8_t, 32>;

// The digest of `bytes`; all zero if OpenSSL fails (allocation), which the callers' own checks catch.
Sha256Digest Sha256(std::string_view bytes);

// The digest in lower-case hex (64 characters); "" if OpenSSL fails.
std::string Sha256Hex(std::string_view bytes);

}  // namespace caisson
