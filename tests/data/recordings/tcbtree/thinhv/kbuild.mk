thinhv-y += thinhv/core.o \
	thinhv/entry.o
