// core/random.hpp: identifiers and secrets from the kernel's CSPRNG (getrandom).
// Forum ids are short and readable in URLs; tokens and stream keys are long
// enough to be unguessable (>= 128 bits).
#pragma once

#include <string>

namespace forumcast {

// `n` random bytes, lowercase base32 (a-z, 2-7) without padding.
std::string random_base32(size_t n_bytes);
// A forum id: 10 base32 characters (50 bits), e.g. "k3m9q2xw7a".
std::string new_forum_id();
// A secret token (session, device, stream key): 32 base32 characters (160 bits).
std::string new_secret_token();
// Hex SHA-256 is not in core (no crypto here); see server/auth for hashing.

}  // namespace forumcast
