// tests/unit/followup/demo_transcript.hpp: a realistic finished forum built from
// the shared demo data (data/demo-forum.json, a copy of /work/shared's): its 24
// questions, 3 follow-ups and comments, with moderation outcomes, on-air ranges,
// answers and 8 tickets driven through the real TicketMachine on a FakeClock.
// The outcomes are a fixed table in demo_transcript.cpp; the expected figures in
// figures_test.cpp are counted by hand from that table.
#pragma once

#include "followup/transcript.hpp"

namespace forumcast::followup::testing {

// Wall time when the stream started (2026-12-05T06:00:00Z = 14:00 Beijing).
constexpr int64_t kStreamStartMs = 1'796'450'400'000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

Transcript demo_transcript();

}  // namespace forumcast::followup::testing
