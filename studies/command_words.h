// SPDX-License-Identifier: GPL-2.0-only
// A command as trace words, the inverse of sim/cmd_syntax.h's reading:
// `OPNAME FIELD=VALUE...` with the encoder's names (smmuv3/commands.h), so
// a study can write the commands its models issue into a trace a user can
// play again with `smmusim run`. Only the fields that are not zero are
// written (a field left out is zero when the trace is read back).
#pragma once

#include <string>

#include "smmuv3/commands.h"

namespace smmusim::studies {

std::string command_words(const smmuv3::EncodedCommand& c);

}  // namespace smmusim::studies
