// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: kobjects without sysfs.
 *
 * The iommu core makes each iommu_group a kobject (its lifetime is the
 * kobject's reference count: the last kobject_put() calls the ktype's
 * release, iommu_group_release()) and publishes groups in sysfs.
 *
 * CUSTOMISED:
 *   kobject_init_and_add/kobject_get/kobject_put   reference counting and
 *                             release exactly as lib/kobject.c (parent
 *                             reference held by the child, name freed)
 *   kobject_create_and_add, kset_create_and_add    dynamically allocated
 *                             kobjects/ksets with a release that frees them
 *   kstrtobool                lib/kstrtox.c is compiled; not here
 * STUBBED (there is no sysfs; callers only check for errors):
 *   sysfs_create_file_ns, sysfs_remove_file_ns, sysfs_create_link,
 *   sysfs_create_link_nowarn, sysfs_remove_link: succeed, do nothing
 *   sysfs_emit, sysfs_emit_at, sysfs_streq: the real formatting contract
 *   (the attribute show/store paths are unreachable without sysfs)
 *   kernel_kobj: a static kobject, the parent of "iommu_groups"
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sprintf.h>

#include "shim.h"

static struct kobject shim_kernel_kobj = {
	.name = "kernel",
	.kref = KREF_INIT(1),
	.state_initialized = 1,
	.state_in_sysfs = 1,
};
struct kobject *kernel_kobj = &shim_kernel_kobj;

static void shim_kobject_init(struct kobject *kobj, const struct kobj_type *ktype)
{
	kref_init(&kobj->kref);
	INIT_LIST_HEAD(&kobj->entry);
	kobj->ktype = ktype;
	kobj->state_initialized = 1;
}

static int shim_kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt,
			    va_list ap)
{
	char buf[128];

	smmusim_host_vformat(buf, sizeof(buf), fmt, ap);
	kobj->name = kstrdup(buf, GFP_KERNEL);
	if (!kobj->name)
		return -ENOMEM;
	if (!parent && kobj->kset)
		parent = &kobj->kset->kobj;
	kobj->parent = parent ? kobject_get(parent) : NULL;
	kobj->state_in_sysfs = 1;
	return 0;
}

int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *fmt, ...)
{
	va_list ap;
	int ret;

	shim_kobject_init(kobj, ktype);
	va_start(ap, fmt);
	ret = shim_kobject_add(kobj, parent, fmt, ap);
	va_end(ap);
	return ret;
}

struct kobject *kobject_get(struct kobject *kobj)
{
	if (kobj) {
		WARN(!kobj->state_initialized, "kobject: '%s' (%p): is not initialized, yet kobject_get() is being called.\n",
		     kobject_name(kobj), kobj);
		kref_get(&kobj->kref);
	}
	return kobj;
}

static void shim_kobject_release(struct kref *kref)
{
	struct kobject *kobj = container_of(kref, struct kobject, kref);
	const struct kobj_type *t = kobj->ktype;
	struct kobject *parent = kobj->parent;
	const char *name = kobj->name;

	kobj->state_in_sysfs = 0;
	if (t && t->release)
		t->release(kobj);
	else
		WARN(1, "kobject: '%s' (%p): does not have a release() function\n", name, kobj);
	kfree(name);
	kobject_put(parent);
}

void kobject_put(struct kobject *kobj)
{
	if (!kobj)
		return;
	WARN(!kobj->state_initialized, "kobject: '%s' (%p): is not initialized, yet kobject_put() is being called.\n",
	     kobject_name(kobj), kobj);
	kref_put(&kobj->kref, shim_kobject_release);
}

static void shim_dynamic_kobj_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type shim_dynamic_kobj_ktype = {
	.release = shim_dynamic_kobj_release,
};

struct kobject *kobject_create_and_add(const char *name, struct kobject *parent)
{
	struct kobject *kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);

	if (!kobj)
		return NULL;
	if (kobject_init_and_add(kobj, &shim_dynamic_kobj_ktype, parent, "%s", name)) {
		kobject_put(kobj);
		return NULL;
	}
	return kobj;
}

static void shim_kset_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct kset, kobj));
}

static const struct kobj_type shim_kset_ktype = {
	.release = shim_kset_release,
};

struct kset *kset_create_and_add(const char *name, const struct kset_uevent_ops *uevent_ops,
				 struct kobject *parent_kobj)
{
	struct kset *kset = kzalloc(sizeof(*kset), GFP_KERNEL);

	if (!kset)
		return NULL;
	INIT_LIST_HEAD(&kset->list);
	spin_lock_init(&kset->list_lock);
	kset->uevent_ops = uevent_ops;
	if (kobject_init_and_add(&kset->kobj, &shim_kset_ktype, parent_kobj, "%s", name)) {
		kobject_put(&kset->kobj);
		return NULL;
	}
	return kset;
}

/* ---- sysfs: no filesystem behind it ---- */

int sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr, const struct ns_common *ns)
{
	return 0;
}

void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr, const struct ns_common *ns)
{
}

int sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name)
{
	return 0;
}

int sysfs_create_link_nowarn(struct kobject *kobj, struct kobject *target, const char *name)
{
	return 0;
}

void sysfs_remove_link(struct kobject *kobj, const char *name)
{
}

int sysfs_emit(char *buf, const char *fmt, ...)
{
	int len = smmusim_format(buf, PAGE_SIZE, fmt);

	return min_t(int, len, PAGE_SIZE - 1);
}

int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	int len;

	if (at < 0 || at >= PAGE_SIZE)
		return 0;
	len = smmusim_format(buf + at, PAGE_SIZE - at, fmt);
	return min_t(int, len, PAGE_SIZE - at - 1);
}

/* A sysfs store's string equals s, ignoring one trailing newline. */
bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}
