"""The templates sheetgen ships (era, eva8, mazur, xor, era-adam, …), read by sheetgen.model.spec."""
