// tests/unit/followup/figures_test.cpp: accountability figures of the demo forum,
// counted by hand from the outcome table in demo_transcript.cpp, and the rule
// that every forum count is the sum of the per-compound counts.
#include <gtest/gtest.h>

#include "demo_transcript.hpp"
#include "followup/figures.hpp"

namespace forumcast::followup {
namespace {

using testing::kHour;

TEST(followup_figures, nearest_rank_percentiles) {
  EXPECT_EQ(nearest_rank({5}, 50), 5);
  EXPECT_EQ(nearest_rank({5}, 90), 5);
  EXPECT_EQ(nearest_rank({4, 1, 3, 2}, 50), 2);  // rank ceil(2) = 2
  EXPECT_EQ(nearest_rank({4, 1, 3, 2}, 90), 4);  // rank ceil(3.6) = 4
  std::vector<int64_t> ten = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  EXPECT_EQ(nearest_rank(ten, 50), 5);
  EXPECT_EQ(nearest_rank(ten, 90), 9);
  EXPECT_EQ(nearest_rank(ten, 100), 10);
}

TEST(followup_figures, demo_forum_overall) {
  const Transcript t = testing::demo_transcript();
  const Figures f = compute_figures(t).forum;
  EXPECT_EQ(f.asked, 24);
  EXPECT_EQ(f.approved, 20);       // 11 answered + 8 approved + 1 on air
  EXPECT_EQ(f.answered_live, 11);  // question 2's first stretch was sent back, still one
  EXPECT_EQ(f.ticketed, 7);        // 2, 6, 8 (two tickets, one via follow-up 26), 9, 11, 13, 17
  EXPECT_EQ(f.follow_ups, 3);
  EXPECT_EQ(f.votes, 186);
  EXPECT_EQ(f.tickets, 8);
  EXPECT_EQ(f.resolved, 5);  // T1 T2 T3 closed, T6 T8 resolved
  EXPECT_EQ(f.ever_resolved, 5);
  EXPECT_EQ(f.rated, 4);  // T8 unrated
  EXPECT_EQ(f.ratings, 4);
  EXPECT_EQ(f.rating_stars, 5 + 4 + 2 + 3);
  EXPECT_EQ(f.resolve_ms_sum, (24 + 48 + 72 + 120 + 480) * kHour);
  EXPECT_EQ(f.median_resolve_ms, 72 * kHour);  // sorted 24 48 72 120 480, rank 3
  EXPECT_EQ(f.p90_resolve_ms,
            480 * kHour);  // rank ceil(4.5) = 5; T3 counts from creation to its last resolution
  ASSERT_TRUE(f.average_rating.has_value());
  EXPECT_DOUBLE_EQ(*f.average_rating, 3.5);
  ASSERT_TRUE(f.share_rated.has_value());
  EXPECT_DOUBLE_EQ(*f.share_rated, 0.8);
}

TEST(followup_figures, demo_forum_one_compound) {
  const FiguresReport r = compute_figures(testing::demo_transcript());
  ASSERT_EQ(r.by_compound.size(), 6u);
  const Figures* g = nullptr;
  for (const auto& f : r.by_compound)
    if (f.compound == "桂香里") g = &f;
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->asked, 6);  // 6 9 14 15 17 24
  EXPECT_EQ(g->approved, 6);
  EXPECT_EQ(g->answered_live, 2);  // 9 15
  EXPECT_EQ(g->ticketed, 3);       // 6 9 17
  EXPECT_EQ(g->follow_ups, 0);
  EXPECT_EQ(g->votes, 12 + 11 + 3 + 5 + 10 + 4);
  EXPECT_EQ(g->tickets, 3);  // T5 T6 T7
  EXPECT_EQ(g->resolved, 1);
  EXPECT_EQ(g->median_resolve_ms, 48 * kHour);
  EXPECT_EQ(g->p90_resolve_ms, 48 * kHour);
  EXPECT_DOUBLE_EQ(g->average_rating.value(), 3.0);
  EXPECT_DOUBLE_EQ(g->share_rated.value(), 1.0);
  // A compound with no tickets has no ticket figures, not zeros that look measured.
  for (const auto& f : r.by_compound)
    if (f.compound == "春晖苑三期") {
      EXPECT_EQ(f.tickets, 0);
      EXPECT_FALSE(f.median_resolve_ms.has_value());
      EXPECT_FALSE(f.average_rating.has_value());
      EXPECT_FALSE(f.share_rated.has_value());
    }
}

TEST(followup_figures, compounds_add_up_to_the_forum) {
  Transcript t = testing::demo_transcript();
  t.questions[22].asker.compound.clear();  // one asker gave no compound
  const FiguresReport r = compute_figures(t);
  Figures sum;
  std::vector<int64_t> dummy;
  for (const auto& f : r.by_compound) {
    sum.asked += f.asked;
    sum.approved += f.approved;
    sum.answered_live += f.answered_live;
    sum.ticketed += f.ticketed;
    sum.follow_ups += f.follow_ups;
    sum.votes += f.votes;
    sum.tickets += f.tickets;
    sum.resolved += f.resolved;
    sum.ever_resolved += f.ever_resolved;
    sum.rated += f.rated;
    sum.ratings += f.ratings;
    sum.rating_stars += f.rating_stars;
    sum.resolve_ms_sum += f.resolve_ms_sum;
  }
  const Figures& all = r.forum;
  EXPECT_EQ(sum.asked, all.asked);
  EXPECT_EQ(sum.approved, all.approved);
  EXPECT_EQ(sum.answered_live, all.answered_live);
  EXPECT_EQ(sum.ticketed, all.ticketed);
  EXPECT_EQ(sum.follow_ups, all.follow_ups);
  EXPECT_EQ(sum.votes, all.votes);
  EXPECT_EQ(sum.tickets, all.tickets);
  EXPECT_EQ(sum.resolved, all.resolved);
  EXPECT_EQ(sum.ever_resolved, all.ever_resolved);
  EXPECT_EQ(sum.rated, all.rated);
  EXPECT_EQ(sum.ratings, all.ratings);
  EXPECT_EQ(sum.rating_stars, all.rating_stars);
  EXPECT_EQ(sum.resolve_ms_sum, all.resolve_ms_sum);
  // The compound-less asker is its own row, last.
  ASSERT_EQ(r.by_compound.size(), 7u);
  EXPECT_EQ(r.by_compound.back().compound, "");
  EXPECT_EQ(r.by_compound.back().asked, 1);
}

TEST(followup_figures, empty_forum_has_no_ratios) {
  const Figures f = compute_figures(Transcript{}).forum;
  EXPECT_EQ(f.asked, 0);
  EXPECT_FALSE(f.median_resolve_ms.has_value());
  EXPECT_FALSE(f.average_rating.has_value());
  EXPECT_FALSE(f.share_rated.has_value());
  EXPECT_TRUE(compute_figures(Transcript{}).by_compound.empty());
}

}  // namespace
}  // namespace forumcast::followup
