// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks of the selftest's second process (../fork.cc) where the kernel's
 * own cases do not go: a forked child that crashes, is killed, or exits
 * without closing what it opened leaves the simulated machine working and
 * the parent not hung; /proc/PID/status reads VmPin/VmLck of the simulated
 * mm of either process; a fork in a forked child is refused. Written with
 * the kselftest harness and iommufd_utils.h, compiled and wrapped as
 * iommufd.c is (../CMakeLists.txt, this folder's CMakeLists.txt).
 *
 * Not here: the kernel's fork cases themselves (iommufd.c's fork_gone,
 * fork_present, change_process run in IommufdSelftest).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "iommufd_utils.h"

#define MOCK_APERTURE_START (1UL << 24)

static __attribute__((constructor)) void setup_buffer(void)
{
	PAGE_SIZE = sysconf(_SC_PAGE_SIZE);
	BUFFER_SIZE = PAGE_SIZE * 16;
	buffer = mmap(0, BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert(buffer != MAP_FAILED);
}

/* VmPin: or VmLck: of /proc/PID/status in kB, or -1. */
static long status_kb(pid_t pid, const char *tag)
{
	char path[64], line[128];
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, tag, strlen(tag)))
			val = strtol(line + strlen(tag), NULL, 10);
	fclose(f);
	return val;
}

FIXTURE(fork)
{
	int fd;
	uint32_t ioas_id;
};

FIXTURE_SETUP(fork)
{
	self->fd = open("/dev/iommu", O_RDWR);
	ASSERT_NE(-1, self->fd);
	test_ioctl_ioas_alloc(&self->ioas_id);
}

FIXTURE_TEARDOWN(fork)
{
	teardown_iommufd(self->fd, _metadata);
}

/* The child maps the buffer and crashes: its mm is gone, so pinning the
 * mapping fails with EFAULT; the rest of the machine works. */
TEST_F(fork, child_crashes)
{
	int status = 0;
	pid_t child = fork();

	if (!child) {
		test_ioctl_ioas_map_fixed(buffer, BUFFER_SIZE, MOCK_APERTURE_START);
		abort();
	}
	ASSERT_NE(-1, child);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	test_err_mock_domain(EFAULT, self->ioas_id, NULL, NULL);
	test_ioctl_ioas_unmap(MOCK_APERTURE_START, BUFFER_SIZE);
	test_ioctl_ioas_map_fixed(buffer, BUFFER_SIZE, MOCK_APERTURE_START);
	test_cmd_mock_domain(self->ioas_id, NULL, NULL, NULL);
}

/* A child killed while the parent waits for it in read(). */
TEST_F(fork, child_killed_while_parent_reads)
{
	int pipefds[2], status = 0;
	char c;
	pid_t child;

	ASSERT_EQ(0, pipe2(pipefds, O_CLOEXEC));
	child = fork();
	if (!child) {
		close(pipefds[0]);
		test_ioctl_ioas_map_fixed(buffer, BUFFER_SIZE, MOCK_APERTURE_START);
		raise(SIGKILL);
	}
	ASSERT_NE(-1, child);
	close(pipefds[1]);
	/* EOF once the child is gone (it never writes). */
	ASSERT_EQ(0, read(pipefds[0], &c, 1));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	test_err_mock_domain(EFAULT, self->ioas_id, NULL, NULL);
	close(pipefds[0]);
}

/* A child that opens /dev/iommu and exits without closing it: its exit
 * closes the file (iommufd releases the context and its objects). */
TEST_F(fork, child_exits_without_closing)
{
	pid_t child = fork();

	if (!child) {
		int fd = open("/dev/iommu", O_RDWR);
		uint32_t ioas;

		if (fd < 0 || _test_ioctl_ioas_alloc(fd, &ioas))
			exit(1);
		exit(0);
	}
	ASSERT_NE(-1, child);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	/* The parent's own descriptor and objects are untouched. */
	test_ioctl_ioas_map_fixed(buffer, BUFFER_SIZE, MOCK_APERTURE_START);
	test_cmd_mock_domain(self->ioas_id, NULL, NULL, NULL);
}

/* VmPin of each process, read by either: the parent's pins count in its
 * mm, not in its child's. */
TEST_F(fork, status_of_both_processes)
{
	pid_t parent = getpid(), child;
	long kb = BUFFER_SIZE / 1024;
	int status = 0;

	test_cmd_mock_domain(self->ioas_id, NULL, NULL, NULL);
	test_ioctl_ioas_map_fixed(buffer, BUFFER_SIZE, MOCK_APERTURE_START);
	ASSERT_EQ(kb, status_kb(parent, "VmPin:"));
	child = fork();
	if (!child) {
		if (status_kb(parent, "VmPin:") != kb)
			exit(1);
		if (status_kb(getpid(), "VmPin:") != 0 || status_kb(getpid(), "VmLck:") != 0)
			exit(2);
		exit(0);
	}
	ASSERT_NE(-1, child);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

/* fork() in a forked process is not modelled: refused, not copied. */
TEST_F(fork, fork_in_a_child_is_refused)
{
	int status = 0;
	pid_t child = fork();

	if (!child)
		exit(fork() == -1 && errno == ENOSYS ? 0 : 1);
	ASSERT_NE(-1, child);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
