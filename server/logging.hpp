// server/logging.hpp: sets up spdlog for the whole process: human-readable lines
// by default, or one JSON object per line ({"ts","level","logger","msg"}) for log
// collectors. Modules just use spdlog's default logger.
#pragma once

#include <string>

#include "core/result.hpp"

namespace forumcast {

// format: "text" | "json"; level: trace|debug|info|warn|error|off. Logs go to stderr.
Status setup_logging(const std::string& format, const std::string& level);

}  // namespace forumcast
