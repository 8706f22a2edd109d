// followup/webhook_delivery.cpp: the libcurl POST behind deliver_webhook (see
// webhook_delivery.hpp). Every curl handle and header list is owned by a
// unique_ptr so that no path leaks one.
#include "followup/webhook_delivery.hpp"

#include <curl/curl.h>

#include <memory>

namespace forumcast::followup {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};

void global_init() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);  // once, thread-safe
  (void)rc;
}

size_t drop_body(char*, size_t size, size_t n, void* seen) {
  auto* total = static_cast<size_t*>(seen);
  *total += size * n;
  return *total > 64 * 1024 ? 0 : size * n;  // stop reading a huge reply
}

}  // namespace

DeliveryResult deliver_webhook(const SignedRequest& req, const DeliveryLimits& limits) {
  global_init();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {0, "curl_easy_init failed"};
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& [name, value] : req.headers) {
    const std::string line = name + ": " + value;
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (!next) return {0, "out of memory"};
    headers.release();
    headers.reset(next);
  }
  if (curl_slist* next =
          curl_slist_append(headers.get(), "Expect:")) {  // no 100-continue round trip
    headers.release();
    headers.reset(next);
  }
  size_t seen = 0;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, limits.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, limits.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, drop_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen);
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  const CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && status > 0)) {
    return {static_cast<int>(status),
            err[0] ? std::string(err) : std::string(curl_easy_strerror(rc))};
  }
  return {static_cast<int>(status), ""};
}

}  // namespace forumcast::followup
