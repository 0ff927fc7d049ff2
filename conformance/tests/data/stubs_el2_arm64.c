/*
 * The generated linux-hyp-stub-arm64 stubs against a HYP stub that clobbers everything the ABI
 * lets it (Documentation/virt/kvm/arm/hyp-abi.rst: "any of the caller-saved registers (x0-x18
 * on arm64)"), on QEMU's aarch64 virt machine with EL2: the program starts at EL2, installs
 * this stub as its EL2 vectors, and drops to EL1, where it calls the stub with `hvc #0` through
 * the header and the `.S`. The stub answers 0 for HVC_SET_VECTORS..HVC_FINALISE_EL2, 0 and
 * ICH_VTR_VALUE for HVC_GET_ICH_VTR_EL2, HVC_STUB_ERR otherwise, and writes 0xdeadbeef into
 * every other register from x1 to x18.
 *
 * Built with -ffixed-x18 and x18 set once at EL1 (as a shadow call stack pointer would be): the
 * header must give x18 back although the stub clobbers it. A header generated from a spec that
 * declares x1-x18 preserved must come out wrong. Power-off: PSCI SYSTEM_OFF over `smc` (QEMU's
 * PSCI conduit when the guest has EL2), through psci-arm64-smc.h. Each check prints one line.
 */
#include <stdint.h>

#include "linux-hyp-stub-arm64.h"
#include "linux-hyp-stub-arm64-broken.h"
#include "psci-arm64-smc.h"

#define UART ((volatile uint32_t *)0x09000000)
#define POISON UINT64_C(0xdeadbeef)
#define X18 UINT64_C(0x1818181818181818)
#define ICH_VTR_VALUE UINT64_C(0x90080005)

int cmain(void);

__asm__(".section .text.boot, \"ax\"\n.globl _start\n_start:\n"
	"ldr x0, =stack_top\nmov sp, x0\n"
	"adr x0, el2_vectors\nmsr vbar_el2, x0\n"
	"mov x0, #(1 << 31)\nmsr hcr_el2, x0\n" /* EL1 is AArch64; HVC enabled */
	"ldr x0, =stack_top_el1\nmsr sp_el1, x0\n"
	"mov x0, #0x3c5\nmsr spsr_el2, x0\n" /* EL1h, interrupts masked */
	"adr x0, el1_entry\nmsr elr_el2, x0\nisb\neret\n"
	"el1_entry:\n"
	"ldr x18, =0x1818181818181818\n"
	"bl cmain\n1: b 1b\n.ltorg\n"
	/* EL2 vectors: only a synchronous exception from EL1 (offset 0x400) is expected. */
	".balign 2048\nel2_vectors:\n"
	".rept 8\n.balign 128\n9: b 9b\n.endr\n"
	".balign 128\nb el2_hvc\n"
	".rept 7\n.balign 128\n9: b 9b\n.endr\n"
	"el2_hvc:\n"
	"mrs x1, esr_el2\nlsr x1, x1, #26\ncmp x1, #0x16\nb.ne 9f\n" /* EC 0x16: HVC64 */
	"mov x2, x0\nmov x0, #0\ncmp x2, #4\nb.lo 2f\nb.eq 3f\n"
	"movz x0, #0xca11\nmovk x0, #0xbad, lsl #16\n"
	"2: movz x1, #0xbeef\nmovk x1, #0xdead, lsl #16\nb 4f\n"
	"3: ldr x1, =0x90080005\n"
	"4: movz x2, #0xbeef\nmovk x2, #0xdead, lsl #16\n"
	"mov x3, x2\nmov x4, x2\nmov x5, x2\nmov x6, x2\nmov x7, x2\nmov x8, x2\nmov x9, x2\n"
	"mov x10, x2\nmov x11, x2\nmov x12, x2\nmov x13, x2\nmov x14, x2\nmov x15, x2\n"
	"mov x16, x2\nmov x17, x2\nmov x18, x2\neret\n"
	"9: b 9b\n.ltorg\n"
	".bss\n.balign 16\n.space 16384\nstack_top:\n.space 16384\nstack_top_el1:\n.text\n");

static void puts_(const char *s)
{
	while (*s)
		*UART = (uint8_t)*s++;
}

static void hex(uint64_t v)
{
	char b[19];
	b[0] = '0';
	b[1] = 'x';
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	b[18] = 0;
	puts_(b);
}

static int failures;

static void report(const char *name, int judged, uint64_t observed, uint64_t expected)
{
	int ok = observed == expected;
	puts_(name);
	puts_(!judged ? " observed " : ok ? " ok observed " : " FAIL observed ");
	hex(observed);
	puts_(" expected ");
	hex(expected);
	puts_("\n");
	failures += judged && !ok;
}

static uint64_t x18(void)
{
	uint64_t v;
	__asm__ __volatile__("mov %0, x18" : "=r"(v));
	return v;
}

static volatile uint64_t source;

/* a..d arrive in x0-x3; the number goes into x0, so `a` moves and b..d may stay where they are
 * if the stub claims x1-x3 survive. */
#define VIA(NAME, CALL)                                                                \
	__attribute__((noinline)) static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c,   \
						       uint64_t d)                      \
	{                                                                              \
		uint64_t r = CALL();                                                   \
		return r + a + b + c + d;                                              \
	}

VIA(via_inline, linux_hyp_stub_arm64_reset_vectors)
VIA(via_asm, linux_hyp_stub_arm64_reset_vectors_asm)
VIA(via_broken, linux_hyp_stub_arm64_broken_reset_vectors)

int cmain(void)
{
	struct linux_hyp_stub_arm64_get_ich_vtr_el2_result vtr;
	report("reset_vectors inline", 1, linux_hyp_stub_arm64_reset_vectors(), 0);
	report("x18 after inline", 1, x18(), X18);
	report("reset_vectors asm", 1, linux_hyp_stub_arm64_reset_vectors_asm(), 0);
	report("x18 after asm", 1, x18(), X18);
	report("get_ich_vtr_el2 inline", 1, linux_hyp_stub_arm64_get_ich_vtr_el2(&vtr), 0);
	report("get_ich_vtr_el2.ich_vtr_el2 inline", 1, vtr.ich_vtr_el2, ICH_VTR_VALUE);
	report("get_ich_vtr_el2 asm", 1, linux_hyp_stub_arm64_get_ich_vtr_el2_asm(&vtr), 0);
	report("get_ich_vtr_el2.ich_vtr_el2 asm", 1, vtr.ich_vtr_el2, ICH_VTR_VALUE);
	report("x18 after both", 1, x18(), X18);

	uint64_t acc = 0, expect = 0;
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t a = source + i, b = source ^ i, c = source + 7 * i, d = source + (i << 3);
		uint64_t e = source + 5 * i, f = source + (i << 5), g = source + 11 * i;
		acc += linux_hyp_stub_arm64_finalise_el2() + a + b + c;
		acc += linux_hyp_stub_arm64_set_vectors_asm(0x40000000) + d + e + f + g;
		expect += i + i + 7 * i + (i << 3) + 5 * i + (i << 5) + 11 * i;
	}
	report("live values", 1, acc, expect);
	report("x18 after the loop", 1, x18(), X18);

	uint64_t s = source;
	report("via_inline", 1, via_inline(s + 1, s + 2, s + 3, s + 4), 10);
	report("via_asm", 1, via_asm(s + 1, s + 2, s + 3, s + 4), 10);
	/* Judged by the test: the broken stub must come out wrong. */
	report("via_broken", 0, via_broken(s + 1, s + 2, s + 3, s + 4), 10);
	report("x18 after broken", 0, x18(), X18);
	puts_(failures ? "done FAIL\n" : "done ok\n");
	psci_arm64_smc_system_off();
}
