// server/store_open.cpp: see store_open.hpp.
#include "server/store_open.hpp"

#include "store/sqlite/sqlite_store.hpp"

namespace forumcast {

Result<std::unique_ptr<Store>> open_configured_store(const Config& config) {
  SqliteOptions o;
  o.path = config.db_path();
  o.busy_timeout_ms = static_cast<int>(config.store.busy_timeout_ms);
  o.synchronous_full = config.store.synchronous == "full";
  return open_sqlite_store(o);
}

}  // namespace forumcast
