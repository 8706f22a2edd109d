// core/random.cpp: random ids and tokens from getrandom(2).
#include "core/random.hpp"

#include <sys/random.h>

#include <stdexcept>
#include <vector>

namespace forumcast {
namespace {

void fill_random(unsigned char* p, size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(p, n, 0);
    if (got < 0) throw std::runtime_error("getrandom failed");
    p += got;
    n -= static_cast<size_t>(got);
  }
}

}  // namespace

std::string random_base32(size_t n_bytes) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::vector<unsigned char> bytes(n_bytes);
  fill_random(bytes.data(), n_bytes);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string new_forum_id() {
  return random_base32(7).substr(0, 10);
}

std::string new_secret_token() {
  return random_base32(20);
}

}  // namespace forumcast
