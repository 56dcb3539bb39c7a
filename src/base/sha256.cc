#include "base/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace caisson {

namespace {

const EVP_MD* Algorithm() {
  // Never freed: it lives as long as the process, as EVP_sha256()'s own table does.
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// The kept context holds no input once a digest is final: SHA-256's last step clears its block buffer
// (OpenSSL's HASH_FINAL), which matters here because identity hashes formatted SSNs and foreign identifiers.
bool Digest(std::string_view bytes, unsigned char* out) {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
  const EVP_MD* md = Algorithm();
  unsigned int n = 0;
  return md != nullptr && ctx != nullptr && EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1 &&
         EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1 &&
         EVP_DigestFinal_ex(ctx.get(), out, &n) == 1 && n == 32;
}

}  // namespace

Sha256Digest Sha256(std::string_view bytes) {
  Sha256Digest d{};
  if (!Digest(bytes, d.data())) d.fill(0);
  return d;
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256Digest d{};
  if (!Digest(bytes, d.data())) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (size_t i = 0; i < d.size(); ++i) {
    out[2 * i] = kHex[d[i] >> 4];
    out[2 * i + 1] = kHex[d[i] & 0xF];
  }
  return out;
}

}  // namespace caisson
