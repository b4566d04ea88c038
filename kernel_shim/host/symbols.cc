// SPDX-License-Identifier: GPL-2.0-only
// Code addresses as kernel function names (what the kernel's %pS and its
// stack dumps print): the function of the ELF symbol table (.symtab, so
// static functions too) that contains the address, in whichever loaded
// object holds it. dladdr() alone sees only exported dynamic symbols.
#include "symbols.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

#include <fmt/format.h>

namespace smmusim::kshim {

namespace {

struct Func {
    uint64_t value, size;
    std::string name;
};

struct Object {
    bool pie = false;  // ET_DYN: symbol values are offsets from the load base
    std::vector<Func> funcs;  // sorted by value
};

// The functions of one ELF file's .symtab (empty if it has none).
Object load(const std::string& path)
{
    Object o;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return o;
    struct stat st {};
    void* m = fstat(fd, &st) == 0 && st.st_size > 0
                  ? mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0)
                  : MAP_FAILED;
    close(fd);
    if (m == MAP_FAILED)
        return o;
    const auto* base = static_cast<const uint8_t*>(m);
    const size_t len = static_cast<size_t>(st.st_size);
    const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
    const bool ok = len >= sizeof(Elf64_Ehdr) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
                    eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_shoff && eh->e_shentsize == sizeof(Elf64_Shdr) &&
                    eh->e_shoff + uint64_t(eh->e_shnum) * sizeof(Elf64_Shdr) <= len;
    if (ok) {
        o.pie = eh->e_type == ET_DYN;
        const auto* sh = reinterpret_cast<const Elf64_Shdr*>(base + eh->e_shoff);
        for (unsigned i = 0; i < eh->e_shnum; i++) {
            if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
                continue;
            const Elf64_Shdr& strs = sh[sh[i].sh_link];
            if (sh[i].sh_offset + sh[i].sh_size > len || strs.sh_offset + strs.sh_size > len)
                continue;
            const auto* sym = reinterpret_cast<const Elf64_Sym*>(base + sh[i].sh_offset);
            const char* names = reinterpret_cast<const char*>(base + strs.sh_offset);
            for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); k++)
                if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && sym[k].st_value && sym[k].st_name < strs.sh_size)
                    o.funcs.push_back(Func{sym[k].st_value, sym[k].st_size, names + sym[k].st_name});
        }
    }
    munmap(m, len);
    std::sort(o.funcs.begin(), o.funcs.end(), [](const Func& a, const Func& b) { return a.value < b.value; });
    return o;
}

// Where the main program's ELF header is mapped (what dladdr() reports as
// dli_fbase for its addresses): its file is /proc/self/exe, whatever name
// (relative, or none) the dynamic linker knows it by.
uintptr_t main_program_base()
{
    uintptr_t base = 0;
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* out) {
            uintptr_t lowest = UINTPTR_MAX;
            for (unsigned i = 0; i < info->dlpi_phnum; i++)
                if (info->dlpi_phdr[i].p_type == PT_LOAD)
                    lowest = std::min<uintptr_t>(lowest, info->dlpi_phdr[i].p_vaddr & ~uintptr_t(0xfff));
            *static_cast<uintptr_t*>(out) = info->dlpi_addr + (lowest == UINTPTR_MAX ? 0 : lowest);
            return 1;  // the first object is the main program
        },
        &base);
    return base;
}

}  // namespace

std::string symbolize(const void* addr)
{
    static std::mutex mu;
    static std::map<std::string, Object> objects;
    Dl_info info{};
    if (!addr || !dladdr(addr, &info))
        return fmt::format("{}", addr);
    static const uintptr_t main_base = main_program_base();
    const bool main = reinterpret_cast<uintptr_t>(info.dli_fbase) == main_base;
    const std::string file = !main && info.dli_fname && *info.dli_fname ? info.dli_fname : "/proc/self/exe";
    std::lock_guard<std::mutex> lock(mu);
    auto it = objects.find(file);
    if (it == objects.end())
        it = objects.emplace(file, load(file)).first;
    const Object& o = it->second;
    const uint64_t a = reinterpret_cast<uint64_t>(addr) - (o.pie ? reinterpret_cast<uint64_t>(info.dli_fbase) : 0);
    auto f = std::upper_bound(o.funcs.begin(), o.funcs.end(), a,
                              [](uint64_t v, const Func& fn) { return v < fn.value; });
    if (f != o.funcs.begin()) {
        --f;
        if (a < f->value + std::max<uint64_t>(f->size, 1))
            return fmt::format("{}+{:#x}/{:#x}", f->name, a - f->value, f->size);
    }
    if (info.dli_sname)
        return fmt::format("{}+{:#x}", info.dli_sname,
                           reinterpret_cast<uint64_t>(addr) - reinterpret_cast<uint64_t>(info.dli_saddr));
    return fmt::format("{}", addr);
}

}  // namespace smmusim::kshim

extern "C" int smmusim_host_symbol(const void* addr, char* buf, unsigned long size)
{
    const std::string s = smmusim::kshim::symbolize(addr);
    if (buf && size) {
        const size_t n = std::min<size_t>(s.size(), size - 1);
        memcpy(buf, s.data(), n);
        buf[n] = '\0';
    }
    return static_cast<int>(s.size());
}
