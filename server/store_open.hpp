// server/store_open.hpp: opens the configured store (SQLite in <data_dir>) for
// `serve` and for the CLI subcommands, which share one data directory.
#pragma once

#include <memory>

#include "core/result.hpp"
#include "server/config.hpp"
#include "store/store.hpp"

namespace forumcast {

Result<std::unique_ptr<Store>> open_configured_store(const Config& config);

}  // namespace forumcast
