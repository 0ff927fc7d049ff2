// SPDX-License-Identifier: MIT OR Apache-2.0
/*
 * hyperabi's harness as a Linux kernel module at EL1, for the Linux HYP stub targets: the stub
 * Linux leaves at EL2 (arch/arm64/kernel/hyp-stub.S) answers `hvc #0` from EL1 only, so the
 * cases must run in the kernel. The case-running code is the no_std harness of runners/guest
 * (its generated probes, callers and stubs), linked in as one relocatable object
 * (hyperabi-harness.o, built by `cargo xtask guests --arch aarch64-linux-module`); this file
 * gives it what a boot environment gives it (runners/guest/src/boot/linux_module.rs).
 *
 * /proc/hyperabi: /init writes the plan blob into it, then reads it: the first read runs the
 * plan (the harness writes its frames into a buffer here) and returns the frames, which /init
 * copies to the console unchanged.
 *
 * At load the module says at which exception level it runs (CurrentEL; the CPSR mode on 32-bit
 * arm): the stub answers only if the kernel runs at EL1 (SVC mode) with EL2 (HYP mode) below
 * it; at EL2 (VHE) an `hvc` would reach no stub, so the module refuses to load there.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/mutex.h>
#ifdef CONFIG_ARM64
#include <asm/sysreg.h>
#else
#include <asm/ptrace.h>
#endif

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("hyperabi: the Linux HYP stub ABI from EL1");

/* The largest plan /init may write, the most frames the harness may write. */
#define PLAN_MAX (16UL << 20)
#define OUT_MAX (64UL << 20)

static DEFINE_MUTEX(lock);
static u8 *plan;
static size_t plan_len;
static u8 *out;
static size_t out_len, out_cap;
static bool ran, overflow;

/* The harness (runners/guest, feature linux-module) and what it calls here. */
extern void hyperabi_module_entry(void);
const u8 *hyperabi_module_plan(void);
void hyperabi_module_write(const u8 *bytes, size_t len);
void __noreturn hyperabi_module_abort(const char *message, size_t len);

const u8 *hyperabi_module_plan(void)
{
	return plan_len ? plan : NULL;
}

void hyperabi_module_write(const u8 *bytes, size_t len)
{
	if (overflow)
		return;
	if (out_len + len > out_cap) {
		size_t cap = out_cap ? out_cap : 1UL << 20;
		u8 *bigger;

		while (cap < out_len + len)
			cap *= 2;
		if (cap > OUT_MAX) {
			overflow = true;
			return;
		}
		bigger = vmalloc(cap);
		if (!bigger) {
			overflow = true;
			return;
		}
		if (out_len)
			memcpy(bigger, out, out_len);
		vfree(out);
		out = bigger;
		out_cap = cap;
	}
	memcpy(out + out_len, bytes, len);
	out_len += len;
}

void __noreturn hyperabi_module_abort(const char *message, size_t len)
{
	panic("%.*s", (int)len, message);
}

static ssize_t plan_write(struct file *f, const char __user *buf, size_t n, loff_t *pos)
{
	ssize_t r = n;

	mutex_lock(&lock);
	if (ran || *pos != plan_len || plan_len + n > PLAN_MAX) {
		r = -EINVAL;
		goto done;
	}
	if (!plan) {
		plan = vmalloc(PLAN_MAX);
		if (!plan) {
			r = -ENOMEM;
			goto done;
		}
	}
	if (copy_from_user(plan + plan_len, buf, n)) {
		r = -EFAULT;
		goto done;
	}
	plan_len += n;
	*pos += n;
done:
	mutex_unlock(&lock);
	return r;
}

static ssize_t frames_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	ssize_t r;

	mutex_lock(&lock);
	if (!ran) {
		ran = true;
		hyperabi_module_entry();
	}
	if (overflow)
		r = -ENOSPC;
	else
		r = simple_read_from_buffer(buf, n, pos, out, out_len);
	mutex_unlock(&lock);
	return r;
}

static const struct proc_ops ops = {
	.proc_write = plan_write,
	.proc_read = frames_read,
	.proc_lseek = default_llseek,
};

static int __init hyperabi_init(void)
{
#ifdef CONFIG_ARM64
	u64 el = read_sysreg(CurrentEL) >> 2;

	if (el != 1) {
		pr_err("hyperabi: the kernel runs at EL%llu: no HYP stub below it\n", el);
		return -ENODEV;
	}
#else
	/* 32-bit arm: the kernel must run in SVC mode (EL1), with the stub in HYP mode. */
	u32 mode;

	asm volatile("mrs %0, cpsr" : "=r"(mode));
	mode &= MODE_MASK;
	if (mode != SVC_MODE) {
		pr_err("hyperabi: the kernel runs in mode %#x, not SVC: no HYP stub below it\n", mode);
		return -ENODEV;
	}
#endif
	if (!proc_create("hyperabi", 0600, NULL, &ops))
		return -ENOMEM;
#ifdef CONFIG_ARM64
	pr_info("hyperabi: module at EL1 (CurrentEL %#llx); hvc #0 goes to EL2\n", el << 2);
#else
	pr_info("hyperabi: module at EL1 (SVC mode, CPSR.M %#x); hvc #0 goes to HYP mode\n", mode);
#endif
	return 0;
}

static void __exit hyperabi_exit(void)
{
	remove_proc_entry("hyperabi", NULL);
	vfree(plan);
	vfree(out);
}

module_init(hyperabi_init);
module_exit(hyperabi_exit);
