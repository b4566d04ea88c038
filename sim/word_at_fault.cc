// SPDX-License-Identifier: GPL-2.0-only
#include "word_at_fault.h"

#include <fmt/format.h>

#include "trace.h"

namespace smmusim {

namespace {
constexpr std::string_view kVintf = "vintf", kLvcmdq = ".lvcmdq";
}  // namespace

std::string WordAtFault::at(unsigned col) const
{
    return fmt::format("{}:{}:{}", op_.loc.file ? *op_.loc.file : "?", op_.loc.line, col);
}

unsigned WordAtFault::own() const { return op_.loc.col; }

unsigned WordAtFault::after(std::string_view w) const
{
    for (size_t i = 0; i + 1 < words_.size(); i++)
        if (words_[i].text == w)
            return words_[i + 1].col;
    return own();
}

const Token* WordAtFault::key_word(std::string_view key) const
{
    for (const Token& t : words_)
        if (t.text.size() > key.size() && t.text[key.size()] == '=' && t.text.compare(0, key.size(), key) == 0)
            return &t;
    return nullptr;
}

unsigned WordAtFault::value(std::string_view key, size_t skip) const
{
    const Token* t = key_word(key);
    return t ? t->col + static_cast<unsigned>(key.size() + 1 + skip) : own();
}

unsigned WordAtFault::item(std::string_view key, size_t n) const
{
    const Token* t = key_word(key);
    if (!t)
        return own();
    size_t at = key.size() + 1;
    for (; n > 0; n--) {
        const size_t comma = t->text.find(',', at);
        if (comma == std::string_view::npos)
            break;
        at = comma + 1;
    }
    return t->col + static_cast<unsigned>(at);
}

const Token* WordAtFault::queue_word() const
{
    for (const Token& t : words_)
        if (t.text.compare(0, kVintf.size(), kVintf) == 0 && t.text.find(kLvcmdq) != std::string_view::npos)
            return &t;
    return nullptr;
}

unsigned WordAtFault::queue() const
{
    const Token* t = queue_word();
    return t ? t->col : own();
}

unsigned WordAtFault::queue_vintf() const
{
    const Token* t = queue_word();
    return t ? t->col + static_cast<unsigned>(kVintf.size()) : own();
}

unsigned WordAtFault::queue_lvcmdq() const
{
    const Token* t = queue_word();
    return t ? t->col + static_cast<unsigned>(t->text.find(kLvcmdq) + kLvcmdq.size()) : own();
}

}  // namespace smmusim
