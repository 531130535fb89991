# bash completion for agentlint                            -*- shell-script -*-
#
# Commands and each command's options come from the agentlint being completed
# (`agentlint --list-options [COMMAND]`, the table behind `--help`), and so do
# a command's formats (`agentlint COMMAND --list-formats`), so they cannot
# drift from the binary; rule ids from `agentlint rules`; other option values
# are the ones agentlint's contract fixes. Needs no bash-completion helpers.

# The words an option's value may be, for a command (nothing: no suggestion);
# $3 is the agentlint being completed.
_agentlint_values()
{
    case $1 in
    --format | -f) "$3" "$2" --list-formats 2>/dev/null ;;
    --color) echo "auto always never" ;;
    --fail-on) echo "error warning note" ;;
    --env-matching) echo "anchored legacy" ;;
    --license) echo "free premium ultimate" ;;
    --tier) echo "production staging testing development other" ;;
    --kube-version) echo "1.32" ;;
    --subresource) echo "log exec attach portforward proxy status scale eviction" ;;
    esac
}

# Branches, tags and remote branches of the repository (-C DIR if given).
_agentlint_refs()
{
    local repo=. i
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        case ${COMP_WORDS[i]} in
        -C | --repo) repo=${COMP_WORDS[i + 1]} ;;
        esac
    done
    repo=${repo/#\~/$HOME}
    echo HEAD
    git -C "$repo" for-each-ref --format='%(refname:short)' \
        refs/heads refs/tags refs/remotes 2>/dev/null
}

_agentlint()
{
    local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev="" opt="" cmd=check
    local -a options
    local word i
    COMPREPLY=()
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    bin=${bin/#\~/$HOME}

    # The command is the first word when it names one (as agentlint parses it).
    local commands
    commands=$("$bin" --list-options 2>/dev/null) || return 0
    if ((COMP_CWORD == 1)) && [[ $cur != -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        ((${#COMPREPLY[@]})) && return 0
    fi
    for word in $commands; do
        if ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[1]} == "$word" ]]; then
            cmd=$word
        fi
    done
    mapfile -t options < <("$bin" --list-options "$cmd" 2>/dev/null)

    # The option whose value is being completed: "--opt VALUE", or
    # "--opt=VALUE", which COMP_WORDBREAKS usually splits at '='.
    if [[ $cur == = ]]; then
        opt=$prev cur=""
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        opt=${cur%%=*} cur=${cur#*=}
    else
        for word in "${options[@]}"; do
            if [[ $word == *" "* && ${word%% *} == "$prev" ]]; then
                opt=$prev
            fi
        done
    fi

    if [[ -n $opt ]]; then
        case $opt in
        -C | --repo)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            ;;
        -o | --output | --ids | --policy | --rbac)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        --rev)
            mapfile -t COMPREPLY < <(compgen -W "$(_agentlint_refs)" -- "$cur")
            ;;
        *)
            mapfile -t COMPREPLY < <(compgen -W "$(_agentlint_values "$opt" "$cmd" "$bin")" -- "$cur")
            ;;
        esac
        return 0
    fi

    if [[ $cur == -* ]]; then
        local names=""
        for word in "${options[@]}"; do
            names+=" ${word%% *}"
        done
        mapfile -t COMPREPLY < <(compgen -W "$names" -- "$cur")
        return 0
    fi

    case $cmd in
    check)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
    diff)
        mapfile -t COMPREPLY < <(compgen -W "$(_agentlint_refs)" -- "$cur")
        ;;
    can-i)
        # VERB, then RESOURCE: kubectl's verbs, then the common resource types.
        local verbs="get list watch create update patch delete deletecollection impersonate"
        mapfile -t COMPREPLY < <(compgen -W "$verbs pods secrets configmaps services \
            deployments.apps statefulsets.apps jobs.batch rolebindings.rbac.authorization.k8s.io \
            namespaces nodes" -- "$cur")
        ;;
    rules)
        mapfile -t COMPREPLY < <(compgen -W "$("$bin" rules 2>/dev/null |
            while read -r i _; do echo "$i"; done)" -- "$cur")
        ;;
    esac
    return 0
}

complete -F _agentlint agentlint
