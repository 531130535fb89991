/* embed: turn a data file into a C array, so that schemas/ are compiled into
 * agentlint and nothing is looked up at run time.
 *
 *   embed NAME INPUT OUTPUT.c   ->  const char NAME[]; const size_t NAME_len; */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: embed NAME INPUT OUTPUT.c\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "rb");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    FILE *out = fopen(argv[3], "w");
    if (!out) {
        perror(argv[3]);
        return 1;
    }
    fprintf(out, "/* Generated from %s by tools/embed. Do not edit. */\n", argv[2]);
    fprintf(out, "#include <stddef.h>\nconst char %s[] = {\n", argv[1]);
    int c;
    size_t n = 0;
    while ((c = fgetc(in)) != EOF) {
        fprintf(out, "%d,", c);
        if (++n % 24 == 0)
            fputc('\n', out);
    }
    fprintf(out, "0};\nconst size_t %s_len = %zu;\n", argv[1], n);
    fclose(in);
    if (fclose(out) != 0) {
        perror(argv[3]);
        return 1;
    }
    return 0;
}
