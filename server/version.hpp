// server/version.hpp: the forumcast version shown by --version and /healthz.
#pragma once

namespace forumcast {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace forumcast
