// SPDX-License-Identifier: GPL-2.0-only
// Test main: a SystemC simulation cannot be restarted in one process, so when
// more than one test is selected each runs in a forked child (ctest already
// runs one test per process; this makes a plain `./smmuv3_test` work too).
#include <fnmatch.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <systemc>

namespace {

bool matches_any(const std::string& name, const std::string& patterns)
{
    size_t start = 0;
    while (start <= patterns.size()) {
        size_t end = patterns.find(':', start);
        std::string pat = patterns.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!pat.empty() && fnmatch(pat.c_str(), name.c_str(), 0) == 0)
            return true;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return false;
}

bool selected(const std::string& name, const std::string& filter)
{
    size_t dash = filter.find('-');
    std::string pos = dash == std::string::npos ? filter : filter.substr(0, dash);
    std::string neg = dash == std::string::npos ? "" : filter.substr(dash + 1);
    if (pos.empty())
        pos = "*";
    return matches_any(name, pos) && !matches_any(name, neg);
}

}  // namespace

// SystemC's own main() calls sc_main().
int sc_main(int argc, char** argv)
{
    testing::InitGoogleTest(&argc, argv);
    if (testing::GTEST_FLAG(list_tests))
        return RUN_ALL_TESTS();

    const std::string filter = testing::GTEST_FLAG(filter);
    std::vector<std::string> names;
    auto* ut = testing::UnitTest::GetInstance();
    for (int i = 0; i < ut->total_test_suite_count(); i++) {
        const auto* suite = ut->GetTestSuite(i);
        for (int j = 0; j < suite->total_test_count(); j++) {
            std::string n = std::string(suite->name()) + "." + suite->GetTestInfo(j)->name();
            if (selected(n, filter))
                names.push_back(n);
        }
    }
    if (names.size() <= 1)
        return RUN_ALL_TESTS();

    int failed = 0;
    for (const auto& n : names) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            testing::GTEST_FLAG(filter) = n;
            _exit(RUN_ALL_TESTS());
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed++;
            fprintf(stderr, "FAILED: %s\n", n.c_str());
        }
    }
    printf("%zu passed, %d failed\n", names.size() - failed, failed);
    return failed ? 1 : 0;
}
