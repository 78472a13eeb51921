# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gloss_global_optspecs
    string join \n html= wait= h/help V/version
end

function __fish_gloss_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gloss_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gloss_using_subcommand
    set -l cmd (__fish_gloss_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gloss -n "__fish_gloss_needs_command" -l html -d 'How the app reads web pages given as paths: `auto`, `article` or `page` (as `new --html`)' -r
complete -c gloss -n "__fish_gloss_needs_command" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_needs_command" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_needs_command" -s V -l version -d 'Print version'
complete -c gloss -n "__fish_gloss_needs_command" -a "new" -d 'Create a project, optionally with articles'
complete -c gloss -n "__fish_gloss_needs_command" -a "add" -d 'Add articles to a project'
complete -c gloss -n "__fish_gloss_needs_command" -a "validate" -d 'Check a project; exit 0 valid, 1 invalid, 2 cannot read'
complete -c gloss -n "__fish_gloss_needs_command" -a "stats" -d 'Counts per type and status'
complete -c gloss -n "__fish_gloss_needs_command" -a "agree" -d 'Agreement of two annotators\' projects (A is the reference); documents are matched by their text. See docs/agreement.md. Agreement between annotators: two projects (A is the reference), or three or more (every pair, and Krippendorff\'s α and Fleiss\' κ over all of them)'
complete -c gloss -n "__fish_gloss_needs_command" -a "fmt" -d 'Rewrite a project canonically, migrating older versions'
complete -c gloss -n "__fish_gloss_needs_command" -a "export" -d 'Export a dataset'
complete -c gloss -n "__fish_gloss_needs_command" -a "import" -d 'Import a dataset from another tool into a project'
complete -c gloss -n "__fish_gloss_needs_command" -a "merge" -d 'Merge two annotators\' projects, or (with --base) two branches of one project as a git merge driver. Exit 0 clean, 1 when disagreements or conflicts remain (recorded in OUT, which is written and valid), 2 when an input cannot be read'
complete -c gloss -n "__fish_gloss_needs_command" -a "suggest" -d 'Propose entities learned from the project\'s own Done and Reviewed documents, for every other document (never where it has an entity)'
complete -c gloss -n "__fish_gloss_needs_command" -a "assign" -d 'Split a project\'s documents among annotators: one project per annotator in DIR, each document given to one of them and a share (--overlap) to two, for agreement; balanced by text length, the same split for the same --seed; DIR/assignment.json says who has what. See docs/teams.md'
complete -c gloss -n "__fish_gloss_needs_command" -a "git-setup" -d 'Set up the git repository around the current folder to merge project files with Gloss: `.gitattributes`, `.gitignore` (lock files, crash journals) and the merge driver, with this `gloss`\'s absolute path'
complete -c gloss -n "__fish_gloss_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gloss -n "__fish_gloss_using_subcommand new" -l name -d 'Project name (default: the file name)' -r
complete -c gloss -n "__fish_gloss_using_subcommand new" -l html -d 'Web pages: `article` (Reader View\'s article), `page` (all the visible text); default: the article when there clearly is one' -r
complete -c gloss -n "__fish_gloss_using_subcommand new" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand new" -l force -d 'Overwrite an existing file'
complete -c gloss -n "__fish_gloss_using_subcommand new" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand add" -l html -d 'Web pages: `article` (Reader View\'s article), `page` (all the visible text); default: the article when there clearly is one' -r
complete -c gloss -n "__fish_gloss_using_subcommand add" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand add" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand validate" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand validate" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand stats" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand stats" -l json -d 'Print JSON instead of a table'
complete -c gloss -n "__fish_gloss_using_subcommand stats" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand agree" -l docs -d 'Only these document ids of A, comma-separated' -r
complete -c gloss -n "__fish_gloss_using_subcommand agree" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand agree" -l json -d 'Print one JSON object instead of a table'
complete -c gloss -n "__fish_gloss_using_subcommand agree" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand fmt" -s o -l output -d 'Write here instead of in place' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand fmt" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand fmt" -l force -d 'Replace an existing output file'
complete -c gloss -n "__fish_gloss_using_subcommand fmt" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand export" -l format -d 'Dataset format: jsonl, doccano, conll, brat, csv, claimreview' -r
complete -c gloss -n "__fish_gloss_using_subcommand export" -s o -l output -d 'Output file (folder for brat); stdout when absent for one-file formats' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand export" -l status -d 'Only documents with these statuses, comma-separated' -r
complete -c gloss -n "__fish_gloss_using_subcommand export" -l docs -d 'Only these document ids, comma-separated' -r
complete -c gloss -n "__fish_gloss_using_subcommand export" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand export" -l strict -d 'Fail instead of leaving out what the format cannot express'
complete -c gloss -n "__fish_gloss_using_subcommand export" -l force -d 'Replace an existing output file, or write into a non-empty folder (files the export does not write are kept)'
complete -c gloss -n "__fish_gloss_using_subcommand export" -l include-rejected -d 'Keep annotations a reviewer rejected (left out by default)'
complete -c gloss -n "__fish_gloss_using_subcommand export" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand import" -l format -d 'Dataset format: jsonl, doccano, conll, brat' -r
complete -c gloss -n "__fish_gloss_using_subcommand import" -s o -l output -d 'The project file to write' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand import" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand import" -l into -d 'Add to the existing project instead of creating a new one; documents it already has (same text) are skipped'
complete -c gloss -n "__fish_gloss_using_subcommand import" -l force -d 'Replace an existing project file instead of adding to it'
complete -c gloss -n "__fish_gloss_using_subcommand import" -l strict -d 'Fail, writing nothing, when anything in the sources could not be read'
complete -c gloss -n "__fish_gloss_using_subcommand import" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand merge" -l base -d 'The common ancestor: makes this a three-way merge (git\'s %O)' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand merge" -s o -l output -d 'The merged project. It may be the first project (git\'s %A); any other existing file needs --force' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand merge" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand merge" -l force -d 'Replace an existing output file'
complete -c gloss -n "__fish_gloss_using_subcommand merge" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -l docs -d 'Only these document ids, comma-separated' -r
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -s o -l output -d 'Where --apply writes (never the project itself)' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -l min-score -d 'Only suggestions scoring at least this (0 to 1; default 0.5, what the app shows)' -r
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -l json -d 'Print one JSON object: what was learned from and the suggestions'
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -l apply -d 'Write the project with the suggestions added as unreviewed entities (annotator `gloss-suggest`) to -o'
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -l force -d 'Replace an existing output file'
complete -c gloss -n "__fish_gloss_using_subcommand suggest" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand assign" -l annotators -d 'The annotators\' names, comma-separated; each gets NAME.gloss.ron' -r
complete -c gloss -n "__fish_gloss_using_subcommand assign" -l overlap -d 'The share of documents given to two annotators: `20%` or `0.2`' -r
complete -c gloss -n "__fish_gloss_using_subcommand assign" -l seed -d 'Which documents are shared, and how ties are broken' -r
complete -c gloss -n "__fish_gloss_using_subcommand assign" -s o -l output -d 'The folder to write the projects and the manifest into' -r -F
complete -c gloss -n "__fish_gloss_using_subcommand assign" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand assign" -l force -d 'Write into a folder that has files already (replacing those of the same names)'
complete -c gloss -n "__fish_gloss_using_subcommand assign" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand git-setup" -l wait -d 'Seconds to wait for another writer (the app or another command) to release a project before giving up with exit code 4' -r
complete -c gloss -n "__fish_gloss_using_subcommand git-setup" -s h -l help -d 'Print help'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "new" -d 'Create a project, optionally with articles'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "add" -d 'Add articles to a project'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "validate" -d 'Check a project; exit 0 valid, 1 invalid, 2 cannot read'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "stats" -d 'Counts per type and status'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "agree" -d 'Agreement of two annotators\' projects (A is the reference); documents are matched by their text. See docs/agreement.md. Agreement between annotators: two projects (A is the reference), or three or more (every pair, and Krippendorff\'s α and Fleiss\' κ over all of them)'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "fmt" -d 'Rewrite a project canonically, migrating older versions'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "export" -d 'Export a dataset'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "import" -d 'Import a dataset from another tool into a project'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "merge" -d 'Merge two annotators\' projects, or (with --base) two branches of one project as a git merge driver. Exit 0 clean, 1 when disagreements or conflicts remain (recorded in OUT, which is written and valid), 2 when an input cannot be read'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "suggest" -d 'Propose entities learned from the project\'s own Done and Reviewed documents, for every other document (never where it has an entity)'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "assign" -d 'Split a project\'s documents among annotators: one project per annotator in DIR, each document given to one of them and a share (--overlap) to two, for agreement; balanced by text length, the same split for the same --seed; DIR/assignment.json says who has what. See docs/teams.md'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "git-setup" -d 'Set up the git repository around the current folder to merge project files with Gloss: `.gitattributes`, `.gitignore` (lock files, crash journals) and the merge driver, with this `gloss`\'s absolute path'
complete -c gloss -n "__fish_gloss_using_subcommand help; and not __fish_seen_subcommand_from new add validate stats agree fmt export import merge suggest assign git-setup help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
