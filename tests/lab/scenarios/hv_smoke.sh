# hv_smoke: load thinhv, see the signature on every CPU, unload, signature
# gone. The quickest end-to-end check of the late launch.
# lab-timeout: 240
sig() { cpuid --vendor 0x40000000 --cpu "$1" 2>/dev/null; }
i=0
while [ $i -lt "$NCPUS" ]; do
	expect_eq "native-cpu$i" "$(sig $i)" "$(sig $i | grep -v thinhv)"
	i=$((i + 1))
done
if insmod /lab/thinhv.ko allow_nested=1; then
	pass load "$(dmesg | grep 'thinhv: virtualized' | tail -n 1)"
else
	fail load "$(dmesg | grep thinhv | tail -n 3 | tr '\n' '|')"
fi
i=0
while [ $i -lt "$NCPUS" ]; do
	expect_eq "signature-cpu$i" "$(sig $i)" "thinhv"
	i=$((i + 1))
done
check unload rmmod thinhv
i=0
while [ $i -lt "$NCPUS" ]; do
	expect_eq "native-again-cpu$i" "$(sig $i | grep -c thinhv)" "0"
	i=$((i + 1))
done
dmesg | grep thinhv | while read -r l; do note "$l"; done
