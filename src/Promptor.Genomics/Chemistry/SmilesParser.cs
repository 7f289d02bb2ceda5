namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Parses SMILES into a <see cref="Molecule"/> following OpenSMILES: the organic subset
/// (<c>B C N O P S F Cl Br I * b c n o p s</c>), bracket atoms
/// <c>[isotope? symbol chirality? hcount? charge? class?]</c>, bonds <c>- = # $ : / \</c>, branches,
/// ring closures (<c>0</c>–<c>9</c>, <c>%nn</c> and RDKit's <c>%(nnn)</c>) and dot-separated components.
/// Only the syntax and the graph are checked here; chemistry (valence, aromaticity) is
/// <see cref="SmilesValidator"/>'s job.
/// </summary>
/// <remarks>
/// Follows RDKit where OpenSMILES leaves room: a ring-closure number may follow a branch
/// (<c>C(C)1CC1</c>); a dot may appear inside a branch; aromatic bracket symbols include RDKit's
/// <c>te</c> and <c>si</c>; charges are <c>+</c>, <c>++</c>, <c>+n</c> (and the same with <c>-</c>).
/// Unlike RDKit, the two ends of a ring closure may not carry different bond orders
/// (<c>C=1CCCCC#1</c> is an error, as OpenSMILES says). A space or tab ends the SMILES (what follows
/// is a title and is ignored; leading blanks are skipped); an empty SMILES is an error. Dative bonds (<c>-&gt;</c>) are not supported.
/// </remarks>
public static class SmilesParser
{
    private const string BondSymbols = "-=#$:/\\";

    /// <summary>Parses <paramref name="smiles"/>.</summary>
    /// <exception cref="SmilesException">The string is not syntactically valid SMILES; the message names the position.</exception>
    public static Molecule Parse(string smiles)
    {
        ArgumentNullException.ThrowIfNull(smiles);
        return new State(smiles).Run();
    }

    /// <summary>Parses <paramref name="smiles"/>, returning false and a reason instead of throwing.</summary>
    public static bool TryParse(string smiles, out Molecule? molecule, out string? error)
    {
        try
        {
            molecule = Parse(smiles);
            error = null;
            return true;
        }
        catch (SmilesException e)
        {
            molecule = null;
            error = e.Message;
            return false;
        }
    }

    private sealed class State(string s)
    {
        private readonly Molecule _mol = new(s);
        private readonly Dictionary<int, (int Atom, char? Bond, int Position, int Slot)> _openRings = [];
        private readonly Stack<(int Atom, int Position)> _branches = new();
        private int _i;
        private int _prev = -1;
        private char? _bond;
        private int _bondPosition;
        private bool _branchJustOpened;

        public Molecule Run()
        {
            while (_i < s.Length && s[_i] is ' ' or '\t')
            {
                _i++; // RDKit skips leading blanks
            }
            int begin = _i;
            while (_i < s.Length)
            {
                char c = s[_i];
                if (c is ' ' or '\t' or '\r' or '\n')
                {
                    break;
                }
                if (c == '[' || IsOrganicStart(c))
                {
                    int atom = c == '[' ? ParseBracketAtom() : ParseOrganicAtom();
                    if (_prev >= 0)
                    {
                        AddChainBond(_prev, atom);
                        _mol.Atoms[atom].FollowsAtom = true;
                    }
                    // Bracket hydrogens follow the preceding atom in the neighbour order that chirality refers to.
                    for (int h = 0; h < (_mol.Atoms[atom].BracketHydrogens ?? 0); h++)
                    {
                        _mol.Atoms[atom].NeighborOrder.Add(Atom.HydrogenNeighbor);
                    }
                    _prev = atom;
                    _bond = null;
                    _branchJustOpened = false;
                }
                else if (BondSymbols.Contains(c))
                {
                    if (_prev < 0)
                    {
                        throw Error($"bond '{c}' at position {_i} does not follow an atom", _i);
                    }
                    if (_bond is not null)
                    {
                        throw Error($"two bond symbols in a row ('{_bond}{c}') at position {_bondPosition}", _bondPosition);
                    }
                    _bond = c;
                    _bondPosition = _i;
                    _i++;
                }
                else if (char.IsAsciiDigit(c) || c == '%')
                {
                    if (_prev < 0 || _branchJustOpened)
                    {
                        throw Error($"ring bond at position {_i} does not follow an atom", _i);
                    }
                    RingBond();
                }
                else if (c == '(')
                {
                    if (_prev < 0 || _branchJustOpened)
                    {
                        throw Error($"branch '(' at position {_i} does not follow an atom", _i);
                    }
                    if (_bond is not null)
                    {
                        throw Error($"bond '{_bond}' at position {_bondPosition} is followed by a branch, not an atom", _bondPosition);
                    }
                    _branches.Push((_prev, _i));
                    _branchJustOpened = true;
                    _i++;
                }
                else if (c == ')')
                {
                    if (_branches.Count == 0)
                    {
                        throw Error($"unmatched ')' at position {_i}", _i);
                    }
                    if (_branchJustOpened)
                    {
                        throw Error($"empty branch '()' at position {_i - 1}", _i - 1);
                    }
                    if (_bond is not null)
                    {
                        throw Error($"bond '{_bond}' at position {_bondPosition} is not followed by an atom", _bondPosition);
                    }
                    if (_prev < 0)
                    {
                        throw Error($"branch ends with '.' at position {_i}", _i);
                    }
                    _prev = _branches.Pop().Atom;
                    _i++;
                }
                else if (c == '.')
                {
                    if (_prev < 0 || _branchJustOpened || _bond is not null)
                    {
                        throw Error($"unexpected '.' at position {_i}", _i);
                    }
                    _prev = -1;
                    _i++;
                }
                else
                {
                    throw Error($"unexpected character '{c}' at position {_i}", _i);
                }
            }

            if (_mol.Atoms.Count == 0)
            {
                throw Error("empty SMILES", begin);
            }
            if (_bond is not null)
            {
                throw Error($"bond '{_bond}' at position {_bondPosition} is not followed by an atom", _bondPosition);
            }
            if (_branches.Count > 0)
            {
                int p = _branches.Peek().Position;
                throw Error($"branch '(' at position {p} is not closed", p);
            }
            if (_prev < 0)
            {
                throw Error($"SMILES ends with '.' at position {_i - 1}", _i - 1);
            }
            if (_openRings.Count > 0)
            {
                var (number, open) = _openRings.MinBy(kv => kv.Value.Position);
                throw Error($"ring bond {number} not closed (opened at position {open.Position})", open.Position);
            }
            return _mol;
        }

        private static bool IsOrganicStart(char c) => c is 'B' or 'C' or 'N' or 'O' or 'P' or 'S' or 'F' or 'I'
            or 'b' or 'c' or 'n' or 'o' or 'p' or 's' or '*';

        private static SmilesException Error(string message, int position) => new(message, position);

        private int ParseOrganicAtom()
        {
            int start = _i;
            char c = s[_i++];
            int z;
            bool aromatic = false;
            switch (c)
            {
                case 'B' when _i < s.Length && s[_i] == 'r':
                    _i++;
                    z = 35;
                    break;
                case 'C' when _i < s.Length && s[_i] == 'l':
                    _i++;
                    z = 17;
                    break;
                case '*':
                    z = 0;
                    break;
                default:
                    aromatic = char.IsAsciiLetterLower(c);
                    z = Elements.AtomicNumber(char.ToUpperInvariant(c).ToString());
                    break;
            }
            return _mol.AddAtom(z, aromatic, isBracket: false, start).Index;
        }

        private int ParseBracketAtom()
        {
            int start = _i;
            _i++; // '['
            int? isotope = ReadNumber(9);

            int z;
            bool aromatic = false;
            if (_i >= s.Length)
            {
                throw Error($"bracket atom at position {start} is not closed", start);
            }
            char c = s[_i];
            if (c == '*')
            {
                z = 0;
                _i++;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                string two = _i + 1 < s.Length ? s.Substring(_i, 2) : "";
                if (two is "se" or "as" or "te" or "si")
                {
                    _i += 2;
                    z = Elements.AtomicNumber(char.ToUpperInvariant(two[0]) + two[1..]);
                }
                else if (c is 'b' or 'c' or 'n' or 'o' or 'p' or 's')
                {
                    _i++;
                    z = Elements.AtomicNumber(char.ToUpperInvariant(c).ToString());
                }
                else
                {
                    throw Error($"unknown aromatic element '{c}' at position {_i}", _i);
                }
                aromatic = true;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                z = -1;
                if (_i + 1 < s.Length && char.IsAsciiLetterLower(s[_i + 1]))
                {
                    z = Elements.AtomicNumber(s.Substring(_i, 2));
                    if (z > 0)
                    {
                        _i += 2;
                    }
                }
                if (z < 0)
                {
                    z = Elements.AtomicNumber(c.ToString());
                    if (z < 0)
                    {
                        string shown = _i + 1 < s.Length && char.IsAsciiLetterLower(s[_i + 1]) ? s.Substring(_i, 2) : c.ToString();
                        throw Error($"unknown element '{shown}' at position {_i}", _i);
                    }
                    _i++;
                }
            }
            else
            {
                throw Error($"unexpected character '{c}' at position {_i}: expected an element symbol", _i);
            }

            var atom = _mol.AddAtom(z, aromatic, isBracket: true, start);
            atom.Isotope = isotope;
            atom.Chirality = ReadChirality();
            atom.BracketHydrogens = 0;
            if (_i < s.Length && s[_i] == 'H')
            {
                _i++;
                atom.BracketHydrogens = ReadNumber(3) ?? 1;
            }
            atom.Charge = ReadCharge();
            if (_i < s.Length && s[_i] == ':')
            {
                _i++;
                atom.AtomClass = ReadNumber(9) ?? throw Error($"atom class at position {_i - 1} has no number", _i - 1);
            }
            if (_i >= s.Length)
            {
                throw Error($"bracket atom at position {start} is not closed", start);
            }
            if (s[_i] != ']')
            {
                throw Error($"unexpected character '{s[_i]}' at position {_i} in bracket atom", _i);
            }
            _i++;
            return atom.Index;
        }

        private int? ReadNumber(int maxDigits)
        {
            int begin = _i;
            while (_i < s.Length && char.IsAsciiDigit(s[_i]))
            {
                _i++;
            }
            if (_i == begin)
            {
                return null;
            }
            if (_i - begin > maxDigits)
            {
                throw Error($"number at position {begin} is too long", begin);
            }
            if (_i - begin > 1 && s[begin] == '0')
            {
                throw Error($"number at position {begin} has a leading zero", begin);
            }
            return int.Parse(s.AsSpan(begin, _i - begin), System.Globalization.CultureInfo.InvariantCulture);
        }

        private string? ReadChirality()
        {
            if (_i >= s.Length || s[_i] != '@')
            {
                return null;
            }
            int start = _i;
            _i++;
            if (_i < s.Length && s[_i] == '@')
            {
                _i++;
                return "@@";
            }
            if (_i + 1 < s.Length)
            {
                string cls = s.Substring(_i, 2);
                int max = cls switch { "TH" => 2, "AL" => 2, "SP" => 3, "TB" => 20, "OH" => 30, _ => 0 };
                if (max > 0)
                {
                    _i += 2;
                    // RDKit also accepts a class without a number, or 0 (permutation unspecified).
                    int? n = ReadNumber(2);
                    if (n > max)
                    {
                        throw Error($"invalid chirality '{s[start.._i]}' at position {start}", start);
                    }
                    return s[start.._i];
                }
            }
            return "@";
        }

        private int ReadCharge()
        {
            if (_i >= s.Length || s[_i] is not ('+' or '-'))
            {
                return 0;
            }
            char sign = s[_i++];
            int unit = sign == '+' ? 1 : -1;
            if (_i < s.Length && s[_i] == sign)
            {
                _i++;
                return 2 * unit;
            }
            int? n = ReadNumber(2);
            return unit * (n ?? 1);
        }

        private void RingBond()
        {
            int start = _i;
            int number;
            if (s[_i] == '%')
            {
                _i++;
                if (_i < s.Length && s[_i] == '(')
                {
                    _i++;
                    int? n = ReadNumber(5);
                    if (n is null || _i >= s.Length || s[_i] != ')')
                    {
                        throw Error($"bad ring bond number at position {start}", start);
                    }
                    _i++;
                    number = n.Value;
                }
                else
                {
                    // RDKit (unlike OpenSMILES) rejects %00 to %09.
                    if (_i + 1 >= s.Length || s[_i] is < '1' or > '9' || !char.IsAsciiDigit(s[_i + 1]))
                    {
                        throw Error($"'%' at position {start} must be followed by two digits, the first not 0", start);
                    }
                    number = (s[_i] - '0') * 10 + (s[_i + 1] - '0');
                    _i += 2;
                }
            }
            else
            {
                number = s[_i] - '0';
                _i++;
            }

            char? bond = _bond;
            _bond = null;
            if (_openRings.Remove(number, out var open))
            {
                if (open.Atom == _prev)
                {
                    throw Error($"ring bond {number} at position {start} closes on its own atom", start);
                }
                if (_mol.BondBetween(open.Atom, _prev) is not null)
                {
                    throw Error($"ring bond {number} at position {start} duplicates the bond between atoms {open.Atom} and {_prev}", start);
                }
                if (open.Bond is char a && bond is char b && OrderOf(a) != OrderOf(b))
                {
                    throw Error($"ring bond {number} has conflicting bond symbols '{a}' and '{b}' (position {start})", start);
                }
                char? symbol = bond ?? open.Bond;
                var direction = symbol switch { '/' => BondDirection.Up, '\\' => BondDirection.Down, _ => BondDirection.None };
                _mol.AddBond(open.Atom, _prev, Resolve(symbol, open.Atom, _prev), direction, symbol is not null, isRingClosure: true,
                    directionAtClosure: bond is '/' or '\\');
                _mol.Atoms[open.Atom].NeighborOrder[open.Slot] = _prev;
                _mol.Atoms[_prev].NeighborOrder.Add(open.Atom);
            }
            else
            {
                var order = _mol.Atoms[_prev].NeighborOrder;
                order.Add(Atom.HydrogenNeighbor); // stands in for the ring partner until the ring closes
                _openRings[number] = (_prev, bond, start, order.Count - 1);
            }
        }

        private void AddChainBond(int a, int b)
        {
            var direction = _bond switch { '/' => BondDirection.Up, '\\' => BondDirection.Down, _ => BondDirection.None };
            _mol.AddBond(a, b, Resolve(_bond, a, b), direction, _bond is not null, isRingClosure: false);
            _mol.Atoms[a].NeighborOrder.Add(b);
            _mol.Atoms[b].NeighborOrder.Add(a);
        }

        // No symbol, or only a cis/trans mark, between two aromatic atoms means an aromatic bond (RDKit).
        private BondOrder Resolve(char? symbol, int a, int b) => symbol switch
        {
            null or '/' or '\\' when _mol.Atoms[a].IsAromatic && _mol.Atoms[b].IsAromatic => BondOrder.Aromatic,
            null => BondOrder.Single,
            char c => OrderOf(c),
        };

        private static BondOrder OrderOf(char c) => c switch
        {
            '=' => BondOrder.Double,
            '#' => BondOrder.Triple,
            '$' => BondOrder.Quadruple,
            ':' => BondOrder.Aromatic,
            _ => BondOrder.Single,
        };
    }
}
