// bench/followup/synthetic_forum.hpp: a large, realistic-looking forum for the
// export benchmark: N questions (Chinese text from a fixed phrase list, so the
// run is deterministic), a follow-up on every tenth, moderation history, on-air
// ranges with answers on a third of them, M comments (1% hidden) and K tickets
// with assignment, progress notes, resolution and ratings.
#pragma once

#include "followup/transcript.hpp"

namespace forumcast::followup::bench {

struct Size {
  int questions = 10'000;
  int comments = 50'000;
  int tickets = 2'000;
};

Transcript synthetic_forum(const Size& size);

}  // namespace forumcast::followup::bench
