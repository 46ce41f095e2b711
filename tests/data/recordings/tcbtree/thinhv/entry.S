/* entry.S - fixture (3 lines). */
.text
	ret
