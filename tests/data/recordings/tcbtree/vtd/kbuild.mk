# an object whose source is missing is not counted
thinhv-y += vtd/missing.o
