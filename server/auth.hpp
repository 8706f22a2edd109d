// server/auth.hpp: who is calling. Staff passwords (Argon2id via libsodium's
// crypto_pwhash_str), staff sessions and resident device tokens. Tokens are
// random (core/random) and stored only as SHA-256 hex, so a database leak does
// not let anyone log in. What a caller may do is server/policy's decision.
//
// Threading: Auth is safe to call from any thread (the store is). Password
// hashing takes ~0.1 s of CPU; the HTTP login route runs it off the loop thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "server/policy.hpp"
#include "store/store.hpp"

namespace forumcast {

// Initialises libsodium once; false if it cannot.
bool crypto_init();
// Argon2id encoded hash ("$argon2id$v=19$m=...").
Result<std::string> hash_password(std::string_view password);
bool verify_password(const std::string& encoded_hash, std::string_view password);
// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

struct Principal {
  Caller caller = Caller::anonymous;
  std::string name;        // account name for staff; "" otherwise
  int64_t account_id = 0;  // staff only
  std::string token_hash;  // of the session or device token that identified the caller
  int64_t expires_ms = 0;  // staff sessions
};

struct LoginOk {
  std::string token;  // give to the client once; never stored
  Session session;
};

class Auth {
 public:
  Auth(Store& store, const Clock& clock, int64_t session_ttl_ms)
      : store_(store), clock_(clock), session_ttl_ms_(session_ttl_ms) {}

  // "bad_credentials" for an unknown name, a wrong password and a disabled account
  // alike (and roughly the same time for each).
  Result<LoginOk> login(const std::string& name, std::string_view password);
  Status logout(const std::string& token);

  // The caller behind a token: a live staff session first, then a resident device.
  // Unknown, expired or revoked tokens give an anonymous principal.
  Principal identify(const std::string& token);

  // A new resident device: the token for the browser to keep.
  Result<std::string> new_device();

 private:
  Store& store_;
  const Clock& clock_;
  int64_t session_ttl_ms_;
};

// Fixed-window counter per key (IP address), for login throttling.
// Thread-safe.
class RateLimiter {
 public:
  RateLimiter(const Clock& clock, int64_t max_per_window, int64_t window_ms)
      : clock_(clock), max_(max_per_window), window_ms_(window_ms) {}
  // Counts one attempt; false if the key is over its limit in this window.
  bool allow(const std::string& key);

 private:
  struct Window {
    int64_t start_ms = 0;
    int64_t count = 0;
  };
  const Clock& clock_;
  int64_t max_;
  int64_t window_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
  int64_t last_prune_ms_ = 0;
};

}  // namespace forumcast
