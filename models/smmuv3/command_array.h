// SPDX-License-Identifier: GPL-2.0-only
// A consumer's decoded burst: the admitted commands in queue order, in
// storage that is kept from burst to burst. Growing inside the storage
// already made constructs nothing, so a decoder writes each command in its
// place (decode_command_into(Command&, ...) sets every field) instead of
// a blank being made and a decoded copy pushed per command.
#pragma once

#include <cstddef>
#include <vector>

#include "commands.h"

namespace smmusim::smmuv3 {

class CommandArray {
public:
    size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    void clear() { n_ = 0; }
    Command& operator[](size_t i) { return slots_[i]; }
    const Command& operator[](size_t i) const { return slots_[i]; }

    // k more commands at the end, each holding whatever its slot held
    // before: the caller writes every field. Returns the first of them.
    Command* extend(size_t k)
    {
        if (n_ + k > slots_.size())
            slots_.resize(n_ + k);
        Command* const first = slots_.data() + n_;
        n_ += k;
        return first;
    }
    // The first n kept (n <= size()).
    void truncate(size_t n) { n_ = n; }
    void push_back(const Command& c) { *extend(1) = c; }

private:
    std::vector<Command> slots_;  // made once, grown to the largest burst
    size_t n_ = 0;
};

}  // namespace smmusim::smmuv3
