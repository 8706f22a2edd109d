// tests/integration/server/device_contact_test.cpp: POST /api/v1/device/contact on the
// real server: a resident device keeps (and clears) its phone number for follow-up;
// malformed numbers are refused with invalid_phone; callers without a device token
// are refused.
#include "integration/server/server_fixture.hpp"

namespace forumcast::test {
namespace {

class ServerDeviceContact : public ServerTest {};

TEST_F(ServerDeviceContact, ResidentKeepsClearsAndIsCheckedForFormat) {
  auto dev = http_request(port(), "POST", "/api/v1/device");
  ASSERT_EQ(dev.status, 201) << dev.body;
  std::string device = json_of(dev)["device_token"];

  auto ok = http_post_json(port(), "/api/v1/device/contact", R"({"phone":"+86 138-0000-0000"})",
                           bearer(device));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json_of(ok)["phone"], true);

  auto cleared = http_post_json(port(), "/api/v1/device/contact", R"({"phone":""})", bearer(device));
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(json_of(cleared)["phone"], false);

  for (const char* body : {R"({"phone":"1234"})", R"({"phone":"12345678901234567"})",
                           R"({"phone":"138 0000 000a"})", R"({"phone":"86+1380000"})"}) {
    auto bad = http_post_json(port(), "/api/v1/device/contact", body, bearer(device));
    EXPECT_EQ(bad.status, 400) << body;
    EXPECT_EQ(error_code(bad), "invalid_phone") << body;
  }

  auto anon = http_post_json(port(), "/api/v1/device/contact", R"({"phone":"13800000000"})");
  EXPECT_EQ(anon.status, 401);
}

}  // namespace
}  // namespace forumcast::test
