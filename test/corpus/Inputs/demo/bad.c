/* Does not compile: the corpus builder must count it and carry on. */
int broken(int x) { return x + ; }
