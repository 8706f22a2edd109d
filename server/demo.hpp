// server/demo.hpp: `forumcast serve --demo`: idempotently ensures the demo forum
// (from the embedded server/demo/demo-forum.json, fixed id "demoforum4", state
// live) and the accounts demo-mod (moderator) and demo-org (organizer), whose
// passwords are reset to fresh random ones on every start.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace forumcast {

inline constexpr const char* kDemoForumId = "demoforum4";

struct DemoInfo {
  Forum forum;
  std::string moderator_name = "demo-mod";
  std::string moderator_password;
  std::string organizer_name = "demo-org";
  std::string organizer_password;
};

Result<DemoInfo> ensure_demo(Store& store, const Clock& clock);

// The embedded demo-forum.json text.
const std::string& demo_forum_json();

}  // namespace forumcast
