// SPDX-License-Identifier: GPL-2.0-only
// printf-style formatting with the kernel's conventions (lib/vsprintf.c's
// documented behaviour, Documentation/core-api/printk-formats.rst): the
// standard conversions, plus the %p extensions the simulated drivers use.
// Anything alphanumeric right after %p is an extension, as in the kernel;
// unknown ones print the pointer.
#include <cctype>
#include <cinttypes>
#include <cstddef>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "smmusim/host.h"
#include "platform/errno_names.h"
#include "symbols.h"

namespace {

void append_f(std::string& out, const char* spec, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, spec);
    int n = vsnprintf(tmp, sizeof(tmp), spec, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (static_cast<size_t>(n) < sizeof(tmp)) {
        out.append(tmp, n);
        return;
    }
    std::string big(n + 1, '\0');
    va_start(ap, spec);
    vsnprintf(&big[0], big.size(), spec, ap);
    va_end(ap);
    out.append(big.data(), n);
}

// The %p extensions; `f` points after "%p". Returns the new position.
const char* pointer_ext(std::string& out, const char* f, const void* p)
{
    const char c = *f;
    if (!isalnum(static_cast<unsigned char>(c))) {
        append_f(out, "%p", p);
        return f;
    }
    switch (c) {
    case 'a': {  // %pa[p] phys_addr_t *, %pad dma_addr_t *
        f++;
        if (*f == 'p' || *f == 'd')
            f++;
        uint64_t v = 0;
        if (p)
            memcpy(&v, p, sizeof(v));
        append_f(out, "0x%016" PRIx64, v);
        return f;
    }
    case 'e': {  // %pe: an ERR_PTR as its errno name
        const long e = -static_cast<long>(reinterpret_cast<intptr_t>(p));
        const char* n = (e > 0 && e < 4096) ? smmusim::errno_name_or_null(static_cast<int>(e)) : nullptr;
        if (n)
            append_f(out, "-%s", n);
        else if (e > 0 && e < 4096)
            append_f(out, "%ld", -e);
        else
            append_f(out, "%p", p);
        return f + 1;
    }
    case 'O': {  // %pOF[fnpPcCF]: a device-tree node
        f++;
        while (isalpha(static_cast<unsigned char>(*f)))
            f++;
        out += smmusim_of_node_name(p);
        return f;
    }
    case 'R':
    case 'r': {  // struct resource *: start and end come first
        uint64_t se[2] = {0, 0};
        if (p)
            memcpy(se, p, sizeof(se));
        append_f(out, "[mem %#010" PRIx64 "-%#010" PRIx64 "]", se[0], se[1]);
        f++;
        while (isalpha(static_cast<unsigned char>(*f)))
            f++;
        return f;
    }
    case 's':
    case 'S':
    case 'B': {  // a symbol: %ps the function's name, %pS/%pB with +offset/size
        const std::string sym = smmusim::kshim::symbolize(p);
        out += c == 's' ? sym.substr(0, sym.find('+')) : sym;
        f++;
        while (*f == 'R' || *f == 'b')
            f++;
        return f;
    }
    case 'x':
    case 'K':
        append_f(out, "%016" PRIxPTR, reinterpret_cast<uintptr_t>(p));
        return f + 1;
    default:
        append_f(out, "%p", p);
        while (isalnum(static_cast<unsigned char>(*f)))
            f++;
        return f;
    }
}

std::string kformat(const char* f, va_list ap)
{
    std::string out;
    if (!f)
        return "(null format)";
    while (*f) {
        if (*f != '%') {
            out += *f++;
            continue;
        }
        const char* start = f++;
        if (*f == '%') {
            out += '%';
            f++;
            continue;
        }
        std::string spec = "%";
        while (*f && strchr("-+ #0", *f))
            spec += *f++;
        // Width, then precision: digits, or '*' taking an int argument.
        auto take_number = [&] {
            if (*f == '*') {
                spec += std::to_string(va_arg(ap, int));
                f++;
                return;
            }
            while (isdigit(static_cast<unsigned char>(*f)))
                spec += *f++;
        };
        take_number();
        if (*f == '.') {
            spec += *f++;
            take_number();
        }
        // Length: normalised to what the host's printf expects.
        int len = 0;  // 0 int, 1 long, 2 long long, 3 size_t, 4 ptrdiff, 5 intmax, -1 short, -2 char
        if (*f == 'h') {
            len = -1;
            if (*++f == 'h') {
                len = -2;
                f++;
            }
        } else if (*f == 'l') {
            len = 1;
            if (*++f == 'l') {
                len = 2;
                f++;
            }
        } else if (*f == 'L' || *f == 'q') {
            len = 2;
            f++;
        } else if (*f == 'z' || *f == 'Z') {
            len = 3;
            f++;
        } else if (*f == 't') {
            len = 4;
            f++;
        } else if (*f == 'j') {
            len = 5;
            f++;
        }
        const char conv = *f ? *f++ : '\0';
        switch (conv) {
        case 'd':
        case 'i': {
            long long v;
            switch (len) {
            case 1: v = va_arg(ap, long); break;
            case 2: v = va_arg(ap, long long); break;
            case 3: v = va_arg(ap, long); break;
            case 4: v = va_arg(ap, ptrdiff_t); break;
            case 5: v = va_arg(ap, intmax_t); break;
            case -1: v = static_cast<short>(va_arg(ap, int)); break;
            case -2: v = static_cast<signed char>(va_arg(ap, int)); break;
            default: v = va_arg(ap, int);
            }
            append_f(out, (spec + "lld").c_str(), v);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v;
            switch (len) {
            case 1: v = va_arg(ap, unsigned long); break;
            case 2: v = va_arg(ap, unsigned long long); break;
            case 3: v = va_arg(ap, size_t); break;
            case 4: v = static_cast<unsigned long long>(va_arg(ap, ptrdiff_t)); break;
            case 5: v = va_arg(ap, uintmax_t); break;
            case -1: v = static_cast<unsigned short>(va_arg(ap, unsigned)); break;
            case -2: v = static_cast<unsigned char>(va_arg(ap, unsigned)); break;
            default: v = va_arg(ap, unsigned);
            }
            append_f(out, (spec + "ll" + conv).c_str(), v);
            break;
        }
        case 'c':
            append_f(out, (spec + "c").c_str(), va_arg(ap, int));
            break;
        case 's': {
            const char* s = va_arg(ap, const char*);
            append_f(out, (spec + "s").c_str(), s ? s : "(null)");
            break;
        }
        case 'p':
            f = pointer_ext(out, f, va_arg(ap, const void*));
            break;
        default:  // unknown: copy it through
            out.append(start, f - start);
        }
    }
    return out;
}

}  // namespace

extern "C" int smmusim_host_vformat(char* buf, unsigned long size, const char* fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    const std::string s = kformat(fmt, cp);
    va_end(cp);
    if (buf && size) {
        const size_t n = s.size() < size - 1 ? s.size() : size - 1;
        memcpy(buf, s.data(), n);
        buf[n] = '\0';
    }
    return static_cast<int>(s.size());
}
