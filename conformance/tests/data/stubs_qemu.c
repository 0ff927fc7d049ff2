/*
 * The generated C and assembly stubs against QEMU's own firmware services, bare metal: PSCI over
 * `hvc` on the aarch64 and arm virt machines (QEMU's built-in PSCI 1.1, EL1 / SVC), SBI over
 * `ecall` on the riscv64 virt machine (S-mode under OpenSBI), and DIAGNOSE 0x500 on the s390x
 * s390-ccw-virtio machine. Each call runs through the inline
 * function and through the `.S` stub, with values kept live across the calls; each check prints
 * one line on the UART and the program powers the machine off through the stubs.
 * conformance/tests/stubs.rs judges the lines. `_start` is in `.text.boot`, which the test's
 * linker script puts first at the address the machine enters (OpenSBI jumps to 0x80200000).
 */
#include <stdint.h>

/* The dispatcher a guest harness runs plan cases through (by index, both paths) is checked too. */
#define HYPERABI_DISPATCH

#if defined(__aarch64__)
#include "psci-arm64.h"
#define UART ((volatile uint32_t *)0x09000000) /* PL011 data register */
__asm__(".section .text.boot, \"ax\"\n.globl _start\n_start:\n"
	"ldr x0, =stack_top\nmov sp, x0\nbl cmain\n1: b 1b\n.ltorg\n"
	".bss\n.balign 16\n.space 16384\nstack_top:\n.text\n");
#elif defined(__arm__)
#include "psci-arm.h"
#define UART ((volatile uint32_t *)0x09000000)
/* QEMU enters in A32 state; the assembler's state is restored for the compiler's own code (clang
 * assembles module-level asm in the state of the compilation). */
#if defined(__thumb__)
#define ARM_STATE ".thumb\n"
#else
#define ARM_STATE ".arm\n"
#endif
__asm__(".section .text.boot, \"ax\"\n.arm\n.globl _start\n.type _start, %function\n_start:\n"
	"ldr sp, =stack_top\nblx cmain\n1: b 1b\n.ltorg\n" ARM_STATE
	".bss\n.balign 16\n.space 16384\nstack_top:\n.text\n");
#elif defined(__riscv)
#include "sbi-riscv64.h"
#define UART ((volatile uint8_t *)0x10000000) /* 16550 transmit holding register */
__asm__(".section .text.boot, \"ax\"\n.globl _start\n_start:\n"
	"la sp, stack_top\ncall cmain\n1: j 1b\n"
	".bss\n.balign 16\n.space 16384\nstack_top:\n.text\n");
#elif defined(__s390x__)
#include "kvm-s390x.h"
/* Entered by QEMU's IPL in 64-bit mode, DAT and interruptions off. The console is the SCLP
 * ASCII console (event type 0x1a) QEMU connects to the first -serial; a disabled wait at an
 * address ending in 0xfff powers off (as runners/guest/src/boot/s390x_ccw.rs does). */
__asm__(".section .text.boot, \"ax\"\n.globl _start\n_start:\n"
	"larl %r15, stack_top\naghi %r15, -160\nlghi %r0, 0\nstg %r0, 0(%r15)\n"
	"brasl %r14, cmain\n1: j 1b\n"
	".balign 8\noff_psw:\n.quad 0x0002000180000000, 0xfff\n"
	".globl poweroff\npoweroff:\nlarl %r1, off_psw\nlpswe 0(%r1)\n"
	".bss\n.balign 16\n.space 16384\nstack_top:\n.text\n");
static volatile unsigned char sccb[4096] __attribute__((aligned(4096)));
static unsigned fill;
#define SCCB_DATA 14
#define ASCII_CONSOLE 0x1a
/* `servc` with the command word; retries while the SCLP is busy (cc 2). */
static void servc(uint32_t cmd)
{
	uint64_t cc;
	do {
		__asm__ __volatile__(".insn rre, 0xb2200000, %1, %2\n\tipm %0\n\tsrl %0, 28"
				     : "=&d"(cc)
				     : "d"((uint64_t)cmd), "a"(sccb)
				     : "cc", "memory");
	} while ((cc & 3) == 2);
}
static void put16(unsigned off, unsigned v)
{
	sccb[off] = (unsigned char)(v >> 8);
	sccb[off + 1] = (unsigned char)v;
}
static void sclp_flush(void)
{
	if (!fill)
		return;
	put16(0, SCCB_DATA + fill);
	for (unsigned i = 2; i < 8; i++)
		sccb[i] = 0;
	put16(8, 6 + fill);
	sccb[10] = ASCII_CONSOLE;
	sccb[11] = sccb[12] = sccb[13] = 0;
	servc(0x00760005); /* WRITE EVENT DATA */
	fill = 0;
}
static void sclp_init(void)
{
	uint32_t mask = 1u << (32 - ASCII_CONSOLE);
	for (unsigned i = 0; i < 32; i++)
		sccb[i] = 0;
	put16(0, 32);
	put16(10, 4);
	for (unsigned i = 0; i < 4; i++)
		sccb[12 + i] = sccb[16 + i] = (unsigned char)(mask >> (24 - 8 * i));
	servc(0x00780005); /* WRITE EVENT MASK */
}
static void uart_put(char c)
{
	if (SCCB_DATA + fill + 1 > sizeof sccb)
		sclp_flush();
	sccb[SCCB_DATA + fill++] = (unsigned char)c;
}
#define UART_PUT(c) uart_put(c)
__attribute__((noreturn)) void poweroff(void);
#elif defined(__powerpc64__)
#include "papr-ppc64.h"
/* QEMU pseries with the flat image as -bios: loaded at 0, entered at 0x100 in real mode,
 * big-endian, 32-bit mode, r3 = the device tree. The entry sets MSR.SF, the TOC (ELFv2) and a
 * stack. The console is H_PUT_TERM_CHAR on the vty at 0x71000000, 16 bytes per hcall;
 * power-off is RTAS `power-off` through H_RTAS, its token read from /rtas in the device tree
 * (as runners/guest/src/boot/ppc64_pseries.rs does). Both go through the generated stubs. */
__asm__(".section .text.boot, \"ax\"\n.globl _start\n_start:\n"
	"li 0, 1\nsldi 0, 0, 63\nmtmsrd 0\nisync\n"
	"bl 1f\n1: mflr 12\n"
	"addis 2, 12, (.TOC. - 1b)@ha\naddi 2, 2, (.TOC. - 1b)@l\n"
	"addis 1, 12, (stack_top - 1b)@ha\naddi 1, 1, (stack_top - 1b)@l\n"
	"li 0, 0\nstdu 0, -64(1)\n"
	"bl cmain\nnop\n2: b 2b\n"
	".bss\n.balign 16\n.space 16384\nstack_top:\n.text\n");
#define VTY 0x71000000
static unsigned char term[16];
static unsigned fill;
static uint64_t be64(const unsigned char *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}
static void term_flush(void)
{
	if (fill)
		papr_ppc64_h_put_term_char(VTY, fill, be64(term), be64(term + 8));
	fill = 0;
}
static void uart_put(char c)
{
	term[fill++] = (unsigned char)c;
	if (fill == 16)
		term_flush();
}
#define UART_PUT(c) uart_put(c)

/* The u32 property `prop` of the node `/node` in the flattened device tree (devicetree
 * specification v0.4, chapter 5). */
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}
static uint32_t fdt_u32(const unsigned char *fdt, const char *node, const char *prop)
{
	if (rd32(fdt) != 0xd00dfeed)
		return 0;
	const unsigned char *at = fdt + rd32(fdt + 8);
	const char *strings = (const char *)fdt + rd32(fdt + 12);
	int depth = 0, in_node = 0;
	for (;;) {
		uint32_t tok = rd32(at);
		at += 4;
		if (tok == 1) {
			const char *name = (const char *)at;
			uint32_t n = 0;
			while (name[n])
				n++;
			depth++;
			in_node = depth == 2 && streq(name, node);
			at += (n + 4) & ~3u;
		} else if (tok == 2) {
			depth--;
			in_node = 0;
		} else if (tok == 3) {
			uint32_t len = rd32(at);
			const char *name = strings + rd32(at + 4);
			if (in_node && len == 4 && streq(name, prop))
				return rd32(at + 8);
			at += 8 + ((len + 3) & ~3u);
		} else if (tok != 4)
			return 0;
	}
}
#else
#error "no QEMU check for this arch"
#endif

#ifndef UART_PUT
#define UART_PUT(c) (*UART = (uint8_t)(c))
#endif

void _start(void);
#if defined(__powerpc64__)
int cmain(const unsigned char *fdt);
#else
int cmain(void);
#endif

static void puts_(const char *s)
{
	while (*s)
		UART_PUT(*s++);
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

static void check(const char *name, uint64_t observed, uint64_t expected)
{
	puts_(name);
	puts_(observed == expected ? " ok observed " : " FAIL observed ");
	hex(observed);
	puts_(" expected ");
	hex(expected);
	puts_("\n");
	failures += observed != expected;
}

static volatile uint64_t source;

#if defined(__aarch64__) || defined(__arm__)
#if defined(__aarch64__)
#define P(name) psci_arm64_##name
#define PU(name) PSCI_ARM64_##name
#define CPU_ON P(cpu_on64)
#define CPU_ON_ASM P(cpu_on64_asm)
#else
#define P(name) psci_arm_##name
#define PU(name) PSCI_ARM_##name
#define CPU_ON P(cpu_on)
#define CPU_ON_ASM P(cpu_on_asm)
#endif

int cmain(void)
{
	/* QEMU 7.2's PSCI (target/arm/psci.c): version 1.1, PSCI_FEATURES answers 0 for the
	 * functions it implements, one CPU (-smp 1) that is on, MIGRATE_INFO_TYPE 2. */
	check("psci_version inline", P(psci_version)(), 0x10001);
	check("psci_version asm", P(psci_version_asm)(), 0x10001);
	check("psci_features(PSCI_VERSION) inline", P(psci_features)(PU(NR_PSCI_VERSION)), 0);
	check("psci_features(PSCI_VERSION) asm", P(psci_features_asm)(PU(NR_PSCI_VERSION)), 0);
	check("psci_features(unknown) inline", P(psci_features)(0x840000ff),
	      (uint32_t)PU(NOT_SUPPORTED));
	check("psci_features(unknown) asm", P(psci_features_asm)(0x840000ff),
	      (uint32_t)PU(NOT_SUPPORTED));
	check("affinity_info(0, 0) inline", P(affinity_info)(0, 0), 0);
	check("affinity_info(0, 0) asm", P(affinity_info_asm)(0, 0), 0);
	uintptr_t entry = (uintptr_t)_start;
	check("cpu_on(self) inline", CPU_ON(0, entry, 0), (__typeof__(CPU_ON(0, 0, 0)))PU(ALREADY_ON));
	check("cpu_on(self) asm", CPU_ON_ASM(0, entry, 0),
	      (__typeof__(CPU_ON(0, 0, 0)))PU(ALREADY_ON));
	check("migrate_info_type inline", P(migrate_info_type)(), 2);
	check("migrate_info_type asm", P(migrate_info_type_asm)(), 2);
	for (int via_asm = 0; via_asm < 2; via_asm++) {
		uint64_t args[1] = { PU(NR_PSCI_VERSION) }, res[1] = { 0 };
		int ran = P(dispatch)(via_asm, PU(INDEX_PSCI_FEATURES), 0, args, 1, res, 1);
		check(via_asm ? "dispatch psci_features asm" : "dispatch psci_features inline",
		      ran ? res[0] : 99, 0);
	}

	/* Values live across both paths: a stub that clobbered an undeclared register would
	 * corrupt them. */
	uint64_t acc = 0, expect = 0;
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t a = source + i, b = source ^ i, c = source + 7 * i, d = source + (i << 3);
		acc += P(psci_version)() + P(psci_features)(PU(NR_CPU_ON)) + a + b;
		acc += P(psci_version_asm)() + P(psci_features_asm)(PU(NR_CPU_ON)) + c + d;
		expect += 2 * 0x10001 + i + i + 7 * i + (i << 3);
	}
	check("live values", acc, expect);
	puts_(failures ? "done FAIL\n" : "done ok\n");
	P(system_off_asm)();
}
#endif

#if defined(__riscv)
int cmain(void)
{
	/* OpenSBI 1.1 (QEMU 7.2's bundled firmware): SBI 1.0, implementation id 1 (OpenSBI). */
	struct sbi_riscv64_get_spec_version_result spec;
	struct sbi_riscv64_get_impl_id_result impl;
	struct sbi_riscv64_probe_extension_result probe;
	check("get_spec_version inline", sbi_riscv64_get_spec_version(&spec), 0);
	check("get_spec_version.version inline", spec.version, 0x1000000);
	check("get_spec_version asm", sbi_riscv64_get_spec_version_asm(&spec), 0);
	check("get_spec_version.version asm", spec.version, 0x1000000);
	check("get_impl_id inline", sbi_riscv64_get_impl_id(&impl), 0);
	check("get_impl_id.impl_id inline", impl.impl_id, 1);
	check("get_impl_id asm", sbi_riscv64_get_impl_id_asm(&impl), 0);
	check("get_impl_id.impl_id asm", impl.impl_id, 1);
	check("probe_extension(BASE) inline", sbi_riscv64_probe_extension(0x10, &probe), 0);
	check("probe_extension(BASE).available inline", probe.available, 1);
	check("probe_extension(BASE) asm", sbi_riscv64_probe_extension_asm(0x10, &probe), 0);
	check("probe_extension(BASE).available asm", probe.available, 1);
	check("probe_extension(unknown) asm", sbi_riscv64_probe_extension_asm(0x0abcdef0, &probe), 0);
	check("probe_extension(unknown).available asm", probe.available, 0);
	for (int via_asm = 0; via_asm < 2; via_asm++) {
		uint64_t args[1] = { 0x10 }, res[2] = { 99, 99 };
		int ran = sbi_riscv64_dispatch(via_asm, SBI_RISCV64_INDEX_PROBE_EXTENSION, 0, args, 1,
					       res, 2);
		check(via_asm ? "dispatch probe_extension asm" : "dispatch probe_extension inline",
		      ran ? res[0] << 8 | res[1] : 99, 1);
	}

	uint64_t acc = 0, expect = 0;
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t a = source + i, b = source ^ i, c = source + 7 * i, d = source + (i << 3);
		sbi_riscv64_probe_extension(0x10, &probe);
		acc += probe.available + a + b;
		sbi_riscv64_probe_extension_asm(0x10, &probe);
		acc += probe.available + c + d;
		expect += 2 + i + i + 7 * i + (i << 3);
	}
	check("live values", acc, expect);
	puts_(failures ? "done FAIL\n" : "done ok\n");
	struct sbi_riscv64_system_reset_result reset;
	sbi_riscv64_system_reset_asm(0, 0, &reset); /* SHUTDOWN, NO_REASON */
	for (;;)
		;
}
#endif

#if defined(__s390x__)
int cmain(void)
{
	sclp_init();
	/* QEMU 7.2 (hw/s390x/s390-virtio-ccw.c): subcode 0 answers 0 for an address inside
	 * guest RAM and -EINVAL past it; subcode 3 answers -EINVAL for a subchannel that does not
	 * exist (-nodefaults: there is none). */
	check("virtio_notify(in RAM) inline", kvm_s390x_virtio_notify(0x1000), 0);
	check("virtio_notify(in RAM) asm", kvm_s390x_virtio_notify_asm(0x1000), 0);
	check("virtio_notify(past RAM) inline", kvm_s390x_virtio_notify(UINT64_C(1) << 40),
	      (uint64_t)KVM_S390X_EINVAL);
	check("virtio_notify(past RAM) asm", kvm_s390x_virtio_notify_asm(UINT64_C(1) << 40),
	      (uint64_t)KVM_S390X_EINVAL);
	check("virtio_ccw_notify(no device) inline", kvm_s390x_virtio_ccw_notify(0x10000, 0, 0),
	      (uint64_t)KVM_S390X_EINVAL);
	check("virtio_ccw_notify(no device) asm", kvm_s390x_virtio_ccw_notify_asm(0x10000, 0, 0),
	      (uint64_t)KVM_S390X_EINVAL);
	for (int via_asm = 0; via_asm < 2; via_asm++) {
		uint64_t args[1] = { 0x1000 }, res[1] = { 99 };
		int ran = kvm_s390x_dispatch(via_asm, KVM_S390X_INDEX_VIRTIO_NOTIFY, 0, args, 1, res, 1);
		check(via_asm ? "dispatch virtio_notify asm" : "dispatch virtio_notify inline",
		      ran ? res[0] : 99, 0);
	}

	uint64_t acc = 0, expect = 0;
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t a = source + i, b = source ^ i, c = source + 7 * i, d = source + (i << 3);
		acc += kvm_s390x_virtio_notify(0x1000 + i) + a + b;
		acc += kvm_s390x_virtio_ccw_notify_asm(0x10000, i, a) + c + d;
		expect += (uint64_t)KVM_S390X_EINVAL + i + i + 7 * i + (i << 3);
	}
	check("live values", acc, expect);
	puts_(failures ? "done FAIL\n" : "done ok\n");
	sclp_flush();
	poweroff();
}
#endif

#if defined(__powerpc64__)
int cmain(const unsigned char *fdt)
{
	/* QEMU 7.2 (hw/ppc/spapr_hcall.c, spapr_vty.c): H_PUT_TERM_CHAR answers H_PARAMETER for a
	 * terminal that does not exist; H_GET_TERM_CHAR on the vty answers H_SUCCESS with no
	 * input pending (length 0). */
	struct papr_ppc64_h_get_term_char_result got;
	check("h_put_term_char(no vty) inline", papr_ppc64_h_put_term_char(0x7100ff00, 1, 0, 0),
	      (uint64_t)PAPR_PPC64_H_PARAMETER);
	check("h_put_term_char(no vty) asm", papr_ppc64_h_put_term_char_asm(0x7100ff00, 1, 0, 0),
	      (uint64_t)PAPR_PPC64_H_PARAMETER);
	check("h_get_term_char inline", papr_ppc64_h_get_term_char(VTY, &got), 0);
	check("h_get_term_char.len inline", got.len, 0);
	check("h_get_term_char asm", papr_ppc64_h_get_term_char_asm(VTY, &got), 0);
	check("h_get_term_char.len asm", got.len, 0);
	for (int via_asm = 0; via_asm < 2; via_asm++) {
		uint64_t args[1] = { VTY }, res[4] = { 99, 99, 99, 99 };
		int ran = papr_ppc64_dispatch(via_asm, PAPR_PPC64_INDEX_H_GET_TERM_CHAR, 0, args, 1, res,
					      4);
		check(via_asm ? "dispatch h_get_term_char asm" : "dispatch h_get_term_char inline",
		      ran ? res[0] << 8 | res[1] : 99, 0);
	}

	uint64_t acc = 0, expect = 0;
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t a = source + i, b = source ^ i, c = source + 7 * i, d = source + (i << 3);
		acc += papr_ppc64_h_get_term_char(VTY, &got) + got.len + a + b;
		acc += papr_ppc64_h_put_term_char_asm(0x7100ff00 + i, 1, a, b) + c + d;
		expect += (uint64_t)PAPR_PPC64_H_PARAMETER + i + i + 7 * i + (i << 3);
	}
	check("live values", acc, expect);
	puts_(failures ? "done FAIL\n" : "done ok\n");
	term_flush();
	/* RTAS power-off: token, 2 inputs, 1 output (PAPR 7.3.8). */
	static uint32_t rtas[6] __attribute__((aligned(8)));
	rtas[0] = fdt_u32(fdt, "rtas", "power-off");
	rtas[1] = 2;
	rtas[2] = 1;
	papr_ppc64_h_rtas_asm((uint64_t)(uintptr_t)rtas);
	for (;;)
		;
}
#endif
