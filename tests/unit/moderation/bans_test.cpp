// tests/unit/moderation/bans_test.cpp: bans and timeouts by device and by IP,
// expiry with a FakeClock, unban/lift, list, and refusals.
#include <gtest/gtest.h>

#include "moderation/bans.hpp"
#include "moderation/errors.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using namespace testing;

class moderation_bans : public ::testing::Test {
 protected:
  FakeClock clock;
  BanList bans{"k3m9q2xw7a", clock};
  BanRequest timeout(const std::string& device, int64_t ms, const std::string& ip = {}) {
    return BanRequest{BanKind::timeout, device, ip, ms, "刷屏", false};
  }
};

TEST_F(moderation_bans, ATimeoutCatchesTheDeviceUntilItExpires) {
  auto r = bans.add(moderator(), timeout("devhash-1", 10 * 60'000));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->actor, "mod_wang");
  EXPECT_EQ(r->expires_ms, clock.wall_ms() + 10 * 60'000);
  auto hit = bans.check("devhash-1");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->kind, BanKind::timeout);
  EXPECT_EQ(hit->reason, "刷屏");
  EXPECT_FALSE(bans.check("devhash-2")) << "another device is not affected";
  clock.advance(10 * 60'000 - 1);
  EXPECT_TRUE(bans.check("devhash-1"));
  clock.advance(1);
  EXPECT_FALSE(bans.check("devhash-1")) << "expired exactly at its end";
  EXPECT_TRUE(bans.list().empty());
}

TEST_F(moderation_bans, APermanentBanByDeviceAndIpCatchesANewDeviceOnThatIp) {
  BanRequest req{BanKind::ban, "devhash-1", "192.0.2.7", std::nullopt, "广告", true};
  auto r = bans.add(organizer(), req);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->expires_ms);
  EXPECT_TRUE(r->remove_comments);
  clock.advance(400LL * 24 * 3'600'000);
  EXPECT_TRUE(bans.check("devhash-1", "198.51.100.1")) << "same device, new address";
  EXPECT_TRUE(bans.check("devhash-9", "192.0.2.7")) << "new device, banned address";
  EXPECT_FALSE(bans.check("devhash-9", "198.51.100.1"));
  EXPECT_FALSE(bans.check("", "")) << "empty keys match nothing";
}

TEST_F(moderation_bans, TheLongestActiveRecordIsReported) {
  ASSERT_TRUE(bans.add(moderator(), timeout("devhash-1", 60'000)).ok());
  ASSERT_TRUE(bans.add(moderator(), timeout("devhash-1", 3'600'000)).ok());
  EXPECT_EQ(bans.check("devhash-1")->expires_ms, clock.wall_ms() + 3'600'000);
  ASSERT_TRUE(bans.add(moderator(), BanRequest{BanKind::ban, "devhash-1", "", {}, "", false}).ok());
  EXPECT_FALSE(bans.check("devhash-1")->expires_ms) << "permanent beats any timeout";
}

TEST_F(moderation_bans, UnbanAndLift) {
  auto a = bans.add(moderator(), timeout("devhash-1", 60'000, "192.0.2.7"));
  ASSERT_TRUE(bans.add(moderator(), timeout("devhash-1", 120'000)).ok());
  auto b = bans.add(moderator(), timeout("devhash-2", 60'000));
  EXPECT_EQ(bans.list().size(), 3u);
  EXPECT_EQ(bans.unban_device(resident("1"), "devhash-1").error().code, errc::forbidden);
  auto lifted = bans.unban_device(moderator(), "devhash-1");
  ASSERT_TRUE(lifted.ok());
  EXPECT_EQ(lifted->size(), 2u);
  EXPECT_FALSE(bans.check("devhash-1", "192.0.2.7")) << "the IP entry went with it";
  EXPECT_EQ(bans.unban_device(moderator(), "devhash-1").error().code, errc::not_found);
  EXPECT_TRUE(bans.lift(moderator(), b->id).ok());
  EXPECT_FALSE(bans.check("devhash-2"));
  EXPECT_EQ(bans.lift(moderator(), a->id).error().code, errc::not_found);
  EXPECT_TRUE(bans.list().empty());
}

TEST_F(moderation_bans, RequestsAreValidated) {
  EXPECT_EQ(bans.add(resident("1"), timeout("devhash-2", 60'000)).error().code, errc::forbidden);
  EXPECT_EQ(bans.add(panelist(), timeout("devhash-2", 60'000)).error().code, errc::forbidden);
  EXPECT_EQ(bans.add(moderator(), timeout("", 60'000)).error().code, errc::invalid_ban);
  EXPECT_EQ(bans.add(moderator(), timeout("d", 999)).error().code, errc::invalid_ban);
  EXPECT_EQ(bans.add(moderator(), timeout("d", BanLimits::kMaxTimeoutMs + 1)).error().code,
            errc::invalid_ban);
  EXPECT_EQ(
      bans.add(moderator(), BanRequest{BanKind::timeout, "d", "", {}, "", false}).error().code,
      errc::invalid_ban)
      << "a timeout needs a duration";
  EXPECT_TRUE(bans.list().empty());
}

TEST_F(moderation_bans, RestoreSkipsExpiredRecordsAndKeepsIdsUnique) {
  BanRecord old{
      7,    "k3m9q2xw7a", BanKind::timeout, "devhash-1", "", "x", "mod", 0, clock.wall_ms() - 1,
      false};
  BanRecord live{8, "k3m9q2xw7a", BanKind::ban, "devhash-2", "", "x", "mod",
                 0, std::nullopt, false};
  bans.restore(old);
  bans.restore(live);
  EXPECT_FALSE(bans.check("devhash-1"));
  EXPECT_TRUE(bans.check("devhash-2"));
  auto r = bans.add(moderator(), timeout("devhash-3", 60'000));
  EXPECT_GT(r->id, 8);
}

}  // namespace
}  // namespace forumcast::moderation
