// core/result.hpp: the error and result types every module returns.
// An Error carries a stable snake_case code (documented in docs/protocol.md and
// docs/http-api.md) and a human message; Result<T> is either a value or an Error.
// No exceptions cross module boundaries for expected failures.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace forumcast {

struct Error {
  std::string code;     // snake_case, from a documented closed list
  std::string message;  // for people; may be shown in the client
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error err) : v_(std::move(err)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

}  // namespace forumcast
