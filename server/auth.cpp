// server/auth.cpp: see auth.hpp. libsodium for Argon2id and SHA-256.
#include "server/auth.hpp"

#include <sodium.h>

#include "core/random.hpp"

namespace forumcast {

bool crypto_init() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

Result<std::string> hash_password(std::string_view password) {
  if (!crypto_init()) return make_error("crypto", "libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error("crypto", "out of memory while hashing a password");
  return std::string(out);
}

bool verify_password(const std::string& encoded_hash, std::string_view password) {
  if (!crypto_init() || encoded_hash.empty()) return false;
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

std::string sha256_hex(std::string_view data) {
  crypto_init();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

Result<LoginOk> Auth::login(const std::string& name, std::string_view password) {
  static const Error kBad = make_error("bad_credentials", "wrong name or password");
  auto acct = store_.accounts().get_account(name);
  if (!acct.ok()) {
    if (acct.error().code != "not_found") return acct.error();
    // Spend the same time as a real check so that names cannot be probed.
    static const std::string dummy = hash_password("not a real password").value();
    (void)verify_password(dummy, password);
    return kBad;
  }
  bool good = verify_password(acct->password_hash, password);
  if (!good || acct->disabled) return kBad;
  LoginOk ok;
  ok.token = new_secret_token();
  Session& s = ok.session;
  s.token_hash = sha256_hex(ok.token);
  s.account_id = acct->id;
  s.account_name = acct->name;
  s.role = acct->role;
  s.created_ms = clock_.wall_ms();
  s.expires_ms = s.created_ms + session_ttl_ms_;
  Status st = store_.sessions().create_session(s);
  if (!st) return st.error();
  return ok;
}

Status Auth::logout(const std::string& token) {
  if (token.empty()) return make_error("unauthorized", "not logged in");
  return store_.sessions().revoke_session(sha256_hex(token));
}

Principal Auth::identify(const std::string& token) {
  Principal p;
  if (token.empty() || token.size() > 256) return p;
  std::string hash = sha256_hex(token);
  auto s = store_.sessions().get_session(hash);
  if (s.ok()) {
    if (s->revoked || s->expires_ms <= clock_.wall_ms()) return p;
    p.caller = caller_for(s->role);
    p.name = s->account_name;
    p.account_id = s->account_id;
    p.token_hash = hash;
    p.expires_ms = s->expires_ms;
    return p;
  }
  auto d = store_.devices().get_device(hash);
  if (d.ok()) {
    p.caller = Caller::resident;
    p.token_hash = hash;
  }
  return p;
}

Result<std::string> Auth::new_device() {
  std::string token = new_secret_token();
  Device d;
  d.token_hash = sha256_hex(token);
  d.created_ms = clock_.wall_ms();
  d.last_seen_ms = d.created_ms;
  Status st = store_.devices().register_device(d);
  if (!st) return st.error();
  return token;
}

bool RateLimiter::allow(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = clock_.monotonic_ms();
  if (now - last_prune_ms_ > window_ms_) {
    for (auto it = windows_.begin(); it != windows_.end();)
      it = now - it->second.start_ms >= window_ms_ ? windows_.erase(it) : std::next(it);
    last_prune_ms_ = now;
  }
  Window& w = windows_[key];
  if (w.count == 0 || now - w.start_ms >= window_ms_) {
    w.start_ms = now;
    w.count = 0;
  }
  if (w.count >= max_) return false;
  ++w.count;
  return true;
}

}  // namespace forumcast
